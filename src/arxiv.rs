//! arXiv ids and the URLs made from them: the one place that knows their shapes. A leaf: it
//! uses no other module of papershelf.

/// An id without its version (`2410.16256v2` → `2410.16256`): one paper, whatever version a
/// digest links to.
pub fn base_id(id: &str) -> &str {
    match id.rsplit_once('v') {
        Some((core, v)) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) && core.contains(['.', '/']) => core,
        _ => id,
    }
}

/// The longest archive name an old-style id may have (arXiv's longest has 18 letters).
const MAX_ARCHIVE: usize = 32;

/// True for a new-style arXiv id (`2410.16256`, `2410.16256v2`) or an old-style one
/// (`hep-th/9901001`).
pub fn is_id(id: &str) -> bool {
    let core = base_id(id);
    let digits =
        |s: &str, n: std::ops::RangeInclusive<usize>| n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if let Some((yymm, num)) = core.split_once('.')
        && digits(yymm, 4..=4)
        && digits(num, 4..=5)
    {
        return true;
    }
    if let Some((archive, num)) = core.split_once('/') {
        // An archive name (`hep-th`, `math.GT`, at most `cond-mat.stat-mech`'s 18 letters)
        // starts with a letter: never `.` or `..`; and is short, so that an id's page segment
        // stays far within a file name's length.
        return archive.starts_with(|c: char| c.is_ascii_alphabetic())
            && archive.len() <= MAX_ARCHIVE
            && archive.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-' || b == b'.')
            && digits(num, 7..=7);
    }
    false
}

/// The path segment a page named after `id` has: the id without version, lower-cased, an
/// old-style id's `/` as `-` (`2410.16256v2` → `2410.16256`, `hep-th/9901001` →
/// `hep-th-9901001`); `None` for what is not an id.
pub fn slug(id: &str) -> Option<String> {
    is_id(id).then(|| base_id(id).to_ascii_lowercase().replace('/', "-"))
}

/// The abstract page of `id` (its version kept).
pub fn abs_url(id: &str) -> String {
    format!("https://arxiv.org/abs/{id}")
}

/// The PDF of `id` (its version kept).
pub fn pdf_url(id: &str) -> String {
    format!("https://arxiv.org/pdf/{id}")
}

/// The Hugging Face paper page of `id` (named by the id without its version).
pub fn hf_url(id: &str) -> String {
    format!("https://huggingface.co/papers/{}", base_id(id))
}

/// The year a new-style id was submitted in (`2410.…` → 2024), if it is one.
pub fn year(id: &str) -> Option<String> {
    match base_id(id).split_once('.') {
        Some((yymm, _)) if yymm.len() == 4 && yymm.bytes().all(|b| b.is_ascii_digit()) => {
            Some(format!("20{}", &yymm[..2]))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        for ok in ["2410.16256", "2410.16256v2", "0704.0001", "hep-th/9901001", "math.GT/0309136v1"] {
            assert!(is_id(ok), "{ok}");
        }
        for bad in [
            "2410.162",
            "241.16256",
            "https://arxiv.org/abs/2410.16256",
            "2410.16256v",
            "abc",
            "",
            "../9901001",
            "./9901001",
            "-x/9901001",
        ] {
            assert!(!is_id(bad), "{bad}");
        }
        // An archive name longer than any arXiv has would make a page segment of any length.
        assert!(is_id("cond-mat.stat-mech/0001001"));
        assert!(!is_id(&format!("{}/9901001", "a".repeat(MAX_ARCHIVE + 1))));
        assert_eq!(base_id("2410.16256v12"), "2410.16256");
        assert_eq!(base_id("hep-th/9901001v1"), "hep-th/9901001");
        assert_eq!(hf_url("2410.16256v2"), "https://huggingface.co/papers/2410.16256");
        assert_eq!(year("2410.16256v2").as_deref(), Some("2024"));
        assert_eq!(year("hep-th/9901001"), None);
    }
}
