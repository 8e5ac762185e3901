//! Masking of personal data for display and logs: a page shows only what it needs.

/// `621****1716`: the first 3 and last 4 characters of a card number.
pub fn card(number: &str) -> String {
    keep_ends(number, 3, 4, 4)
}

/// `138****1234`.
pub fn phone(number: &str) -> String {
    keep_ends(number, 3, 4, 4)
}

/// `220102********1234`: the first 6 and last 4 of an ID number.
pub fn id_number(number: &str) -> String {
    keep_ends(number, 6, 4, 8)
}

/// Keeps `head` and `tail` characters with a fixed run of `stars` between, so the mask does not
/// reveal the length either.
fn keep_ends(text: &str, head: usize, tail: usize, stars: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..head].iter().collect();
    out.push_str(&"*".repeat(stars));
    out.extend(&chars[chars.len() - tail..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn masks_as_the_manual_shows() {
        assert_eq!(card("6217000010001716"), "621****1716");
        assert_eq!(phone("13800138000"), "138****8000");
        assert_eq!(id_number("220102198001011234"), "220102********1234");
        assert_eq!(card("1234"), "****");
        assert_eq!(card(""), "");
    }
}
