//! Exact decimal numbers for the Numeric operators: "integers or decimal
//! values" compared without floating-point rounding, so `10` equals `10.0`
//! and `9007199254740993` is not `9007199254740992`.

use std::cmp::Ordering;

/// A number from a policy, normalised: `0.D × 10^scale` with the digits `D`
/// free of leading and trailing zeros (empty for zero).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Number {
    negative: bool,
    digits: Box<[u8]>,
    scale: i64,
}

impl Number {
    /// Parses `[+-]digits[.digits][e[+-]digits]` (or `.5`, `5.`).
    pub(super) fn parse(text: &str) -> Option<Self> {
        let n = Decimal::parse(text)?;
        Some(Self {
            negative: n.negative,
            digits: n.digits().collect(),
            scale: n.scale,
        })
    }

    /// How the request's number `text` compares to this one; `None` when
    /// `text` is not a number.
    pub(super) fn compare_request(&self, text: &str) -> Option<Ordering> {
        let r = Decimal::parse(text)?;
        let sign = |negative: bool, zero: bool| match (zero, negative) {
            (true, _) => 0,
            (false, true) => -1,
            (false, false) => 1,
        };
        let (rs, ps) = (
            sign(r.negative, r.is_zero()),
            sign(self.negative, self.digits.is_empty()),
        );
        if rs != ps || rs == 0 {
            return Some(rs.cmp(&ps));
        }
        let magnitude = r
            .scale
            .cmp(&self.scale)
            .then_with(|| r.digits().cmp(self.digits.iter().copied()));
        Some(if rs < 0 {
            magnitude.reverse()
        } else {
            magnitude
        })
    }
}

/// A parsed number borrowing its digits from the text.
struct Decimal<'a> {
    negative: bool,
    int: &'a [u8],
    frac: &'a [u8],
    /// Index of the first significant digit in `int ++ frac`.
    lead: usize,
    /// Number of significant digits (trailing zeros dropped).
    len: usize,
    scale: i64,
}

/// Exponents beyond this many digits are refused rather than overflow.
const MAX_EXPONENT_DIGITS: usize = 9;

impl<'a> Decimal<'a> {
    fn parse(text: &'a str) -> Option<Self> {
        let bytes = text.as_bytes();
        let (negative, rest) = match bytes.first()? {
            b'-' => (true, &bytes[1..]),
            b'+' => (false, &bytes[1..]),
            _ => (false, bytes),
        };
        let (mantissa, exponent) = match rest.iter().position(|b| matches!(b, b'e' | b'E')) {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        let (int, frac) = match mantissa.iter().position(|&b| b == b'.') {
            Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
            None => (mantissa, &mantissa[mantissa.len()..]),
        };
        let all_digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
        if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
            return None;
        }
        let exp = match exponent {
            None => 0,
            Some(e) => {
                let (neg, digits) = match e.first()? {
                    b'-' => (true, &e[1..]),
                    b'+' => (false, &e[1..]),
                    _ => (false, e),
                };
                if digits.is_empty() || digits.len() > MAX_EXPONENT_DIGITS || !all_digits(digits) {
                    return None;
                }
                let value = digits
                    .iter()
                    .fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0'));
                if neg { -value } else { value }
            }
        };
        let at = |i: usize| {
            if i < int.len() {
                int[i]
            } else {
                frac[i - int.len()]
            }
        };
        let total = int.len() + frac.len();
        let lead = (0..total).find(|&i| at(i) != b'0').unwrap_or(total);
        let end = (lead..total)
            .rev()
            .find(|&i| at(i) != b'0')
            .map_or(lead, |i| i + 1);
        let scale = i64::try_from(int.len()).ok()? - i64::try_from(lead).ok()? + exp;
        Some(Self {
            negative,
            int,
            frac,
            lead,
            len: end - lead,
            scale,
        })
    }

    fn is_zero(&self) -> bool {
        self.len == 0
    }

    fn digits(&self) -> impl Iterator<Item = u8> + '_ {
        self.int
            .iter()
            .chain(self.frac)
            .copied()
            .skip(self.lead)
            .take(self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(request: &str, policy: &str) -> Option<Ordering> {
        Number::parse(policy).unwrap().compare_request(request)
    }

    // "Numeric condition operators ... comparing a key to an integer or
    // decimal value."
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Numeric
    #[test]
    fn integers_and_decimals_compare_exactly() {
        assert_eq!(cmp("10", "10.0"), Some(Ordering::Equal));
        assert_eq!(cmp("010", "10"), Some(Ordering::Equal));
        assert_eq!(cmp("9", "10"), Some(Ordering::Less));
        assert_eq!(cmp("10.5", "10"), Some(Ordering::Greater));
        assert_eq!(cmp("0.05", "0.5"), Some(Ordering::Less));
        assert_eq!(cmp("-3", "2"), Some(Ordering::Less));
        assert_eq!(cmp("-3", "-2"), Some(Ordering::Less));
        assert_eq!(cmp("-0", "0"), Some(Ordering::Equal));
        assert_eq!(cmp("0", "-1"), Some(Ordering::Greater));
        assert_eq!(cmp(".5", "0.5"), Some(Ordering::Equal));
        assert_eq!(cmp("5.", "5"), Some(Ordering::Equal));
        assert_eq!(cmp("1e3", "1000"), Some(Ordering::Equal));
        assert_eq!(cmp("1.5E-1", "0.15"), Some(Ordering::Equal));
        assert_eq!(cmp("+7", "7"), Some(Ordering::Equal));
        assert_eq!(
            cmp("9007199254740993", "9007199254740992"),
            Some(Ordering::Greater),
            "no floating-point rounding"
        );
        assert_eq!(cmp("100", "99.999999999999999999"), Some(Ordering::Greater));
    }

    #[test]
    fn not_numbers() {
        for bad in [
            "",
            "-",
            ".",
            "abc",
            "1.2.3",
            "1e",
            "1e99999999999",
            "0x10",
            " 1",
            "1,000",
        ] {
            assert!(Number::parse(bad).is_none(), "{bad}");
            assert_eq!(cmp(bad, "1"), None, "{bad}");
        }
    }
}
