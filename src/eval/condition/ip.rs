//! CIDR ranges for `IpAddress` / `NotIpAddress`: "standard CIDR format (for
//! example, 203.0.113.0/24 or 2001:DB8:1234:5678::/64). If you specify an IP
//! address without the associated routing prefix, IAM uses the default
//! prefix value of /32"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress>),
//! and /128 for an IPv6 address. Host bits below the prefix are ignored
//! (`203.0.113.9/24` is `203.0.113.0/24`). An IPv4-mapped IPv6 address
//! (`::ffff:203.0.113.7`) is the IPv4 address it maps, on either side.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A network: address bits and prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cidr {
    V4 { network: u32, prefix: u8 },
    V6 { network: u128, prefix: u8 },
}

/// Why a policy value is not a CIDR range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CidrError {
    /// The address part is not an IPv4 or IPv6 address.
    Address,
    /// The prefix is not a number in range for the address family.
    Prefix { max: u8 },
}

impl Cidr {
    /// Parses `address` or `address/prefix`; the flag tells whether bits
    /// below the prefix were set (and ignored).
    pub(super) fn parse(text: &str) -> Result<(Self, bool), CidrError> {
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let address: IpAddr = address.parse().map_err(|_| CidrError::Address)?;
        let max = match address {
            IpAddr::V4(_) => 32,
            IpAddr::V6(_) => 128,
        };
        let prefix = match prefix {
            None => max,
            Some(p) if !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()) => p
                .parse::<u8>()
                .ok()
                .filter(|&n| n <= max)
                .ok_or(CidrError::Prefix { max })?,
            Some(_) => return Err(CidrError::Prefix { max }),
        };
        let host_bits = match address {
            IpAddr::V4(a) => u32::from(a) & !mask32(prefix) != 0,
            IpAddr::V6(a) => u128::from(a) & !mask128(prefix) != 0,
        };
        let cidr = match address {
            IpAddr::V4(a) => Self::v4(a, prefix),
            IpAddr::V6(a) => match a.to_ipv4_mapped() {
                Some(v4) if prefix >= 96 => Self::v4(v4, prefix - 96),
                _ => Self::V6 {
                    network: u128::from(a) & mask128(prefix),
                    prefix,
                },
            },
        };
        Ok((cidr, host_bits))
    }

    fn v4(address: Ipv4Addr, prefix: u8) -> Self {
        Self::V4 {
            network: u32::from(address) & mask32(prefix),
            prefix,
        }
    }

    /// Whether `address` (from [`parse_address`]) lies in this range.
    pub(super) fn contains(&self, address: IpAddr) -> bool {
        match (self, address) {
            (Self::V4 { network, prefix }, IpAddr::V4(a)) => {
                u32::from(a) & mask32(*prefix) == *network
            }
            (Self::V6 { network, prefix }, IpAddr::V6(a)) => {
                u128::from(a) & mask128(*prefix) == *network
            }
            _ => false,
        }
    }
}

/// Parses a request's address; IPv4-mapped IPv6 becomes IPv4.
pub(super) fn parse_address(text: &str) -> Option<IpAddr> {
    match text.parse::<IpAddr>().ok()? {
        IpAddr::V6(a) => Some(a.to_ipv4_mapped().map_or(IpAddr::V6(a), IpAddr::V4)),
        v4 => Some(v4),
    }
}

fn mask32(prefix: u8) -> u32 {
    u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0)
}

fn mask128(prefix: u8) -> u128 {
    u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0)
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::V4 { network, prefix } => write!(f, "{}/{prefix}", Ipv4Addr::from(network)),
            Self::V6 { network, prefix } => write!(f, "{}/{prefix}", Ipv6Addr::from(network)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contains(cidr: &str, ip: &str) -> bool {
        parse_address(ip).is_some_and(|a| Cidr::parse(cidr).unwrap().0.contains(a))
    }

    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress
    #[test]
    fn ipv4_ranges() {
        assert!(contains("203.0.113.0/24", "203.0.113.1"));
        assert!(contains("203.0.113.0/24", "203.0.113.255"));
        assert!(!contains("203.0.113.0/24", "198.51.100.1"));
        assert!(
            contains("203.0.113.7", "203.0.113.7"),
            "bare address is /32"
        );
        assert!(!contains("203.0.113.7", "203.0.113.8"));
        assert!(contains("0.0.0.0/0", "192.0.2.1"));
        assert!(
            contains("203.0.113.9/24", "203.0.113.200"),
            "host bits ignored"
        );
        let (cidr, host_bits) = Cidr::parse("203.0.113.9/24").unwrap();
        assert_eq!(cidr.to_string(), "203.0.113.0/24");
        assert!(host_bits);
        assert!(!Cidr::parse("203.0.113.0/24").unwrap().1);
    }

    #[test]
    fn ipv6_ranges() {
        assert!(contains("2001:DB8:1234:5678::/64", "2001:db8:1234:5678::1"));
        assert!(!contains(
            "2001:DB8:1234:5678::/64",
            "2001:db8:1234:5679::1"
        ));
        assert!(
            contains("2001:db8::1", "2001:db8::1"),
            "bare address is /128"
        );
        assert!(contains("::/0", "2001:db8::1"));
        assert!(!contains("::/0", "192.0.2.1"), "families do not mix");
        assert!(!contains("0.0.0.0/0", "2001:db8::1"));
    }

    #[test]
    fn ipv4_mapped_addresses_are_ipv4() {
        assert!(contains("203.0.113.0/24", "::ffff:203.0.113.7"));
        assert!(contains("::ffff:203.0.113.0/120", "203.0.113.7"));
        assert_eq!(
            Cidr::parse("::ffff:203.0.113.0/120").unwrap().0.to_string(),
            "203.0.113.0/24"
        );
    }

    #[test]
    fn invalid() {
        assert_eq!(
            Cidr::parse("203.0.113.0/33"),
            Err(CidrError::Prefix { max: 32 })
        );
        assert_eq!(
            Cidr::parse("2001:db8::/129"),
            Err(CidrError::Prefix { max: 128 })
        );
        assert_eq!(
            Cidr::parse("203.0.113.0/"),
            Err(CidrError::Prefix { max: 32 })
        );
        assert_eq!(
            Cidr::parse("203.0.113.0/+8"),
            Err(CidrError::Prefix { max: 32 })
        );
        for bad in [
            "",
            "example.com",
            "203.0.113",
            "203.0.113.256",
            "203.0.113.0 /24",
        ] {
            assert_eq!(Cidr::parse(bad), Err(CidrError::Address), "{bad}");
        }
        assert!(!contains("203.0.113.0/24", "not-an-ip"));
        assert!(
            parse_address("203.0.113.0/32").is_none(),
            "requests carry addresses"
        );
    }
}
