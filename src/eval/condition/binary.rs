//! Base64 for `BinaryEquals`, which "compares the value of the specified key
//! byte for byte against a base-64 encoded representation of the binary
//! value in the policy"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_BinaryEquals>).
//! Request values arrive base64-encoded too; both sides are decoded, so
//! encodings that differ only in padding compare equal.

/// Decodes standard base64 (`A–Z a–z 0–9 + /`, `=` padding optional);
/// `None` when `text` is not base64.
pub(super) fn decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    for_each_byte(text, |b| {
        out.push(b);
        true
    })?;
    Some(out)
}

/// Whether `text` decodes to exactly `expected`, without allocating.
pub(super) fn decodes_to(text: &str, expected: &[u8]) -> bool {
    let mut at = 0;
    let complete = for_each_byte(text, |b| {
        let same = expected.get(at) == Some(&b);
        at += 1;
        same
    });
    complete == Some(true) && at == expected.len()
}

/// Feeds each decoded byte to `sink` until it returns false. `None` when
/// the text is not base64, `Some(false)` when the sink stopped early.
fn for_each_byte(text: &str, mut sink: impl FnMut(u8) -> bool) -> Option<bool> {
    let data = text.trim_end_matches('=');
    let padding = text.len() - data.len();
    if padding > 2
        || data.len() % 4 == 1
        || (padding > 0 && !(data.len() + padding).is_multiple_of(4))
    {
        return None;
    }
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in data.bytes() {
        buffer = (buffer << 6) | u32::from(sextet(c)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            let byte = u8::try_from((buffer >> bits) & 0xFF).ok()?;
            if !sink(byte) {
                // Finish validating so a bad tail still reads as "not base64".
                return data.bytes().all(|c| sextet(c).is_some()).then_some(false);
            }
        }
    }
    Some(true)
}

fn sextet(c: u8) -> Option<u8> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // The example value on the operators page.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_BinaryEquals
    #[test]
    fn decodes_the_documented_example() {
        assert_eq!(
            decode("QmluYXJ5VmFsdWVJbkJhc2U2NA==").unwrap(),
            b"BinaryValueInBase64"
        );
        assert!(decodes_to(
            "QmluYXJ5VmFsdWVJbkJhc2U2NA==",
            b"BinaryValueInBase64"
        ));
        assert!(decodes_to(
            "QmluYXJ5VmFsdWVJbkJhc2U2NA",
            b"BinaryValueInBase64"
        ));
        assert!(!decodes_to(
            "QmluYXJ5VmFsdWVJbkJhc2U2",
            b"BinaryValueInBase64"
        ));
        assert!(!decodes_to(
            "QmluYXJ5VmFsdWVJbkJhc2U2NA==",
            b"BinaryValueInBase6"
        ));
        assert!(!decodes_to("ASIAIOSFODNN7EXAMPLE", b"BinaryValueInBase64"));
    }

    #[test]
    fn rejects_non_base64() {
        for bad in ["a", "ab=c", "abc===", "ab!d", "QQ=", "QQ=="] {
            let expect_ok = bad == "QQ==";
            assert_eq!(decode(bad).is_some(), expect_ok, "{bad}");
        }
        assert_eq!(decode("").unwrap(), b"");
        assert!(!decodes_to("Q!==", b"A"));
    }
}
