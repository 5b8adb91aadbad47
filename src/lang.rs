//! The language of a piece of text, guessed from its script, for the `lang` attributes of the
//! parts of a page: a Chinese summary beside an English abstract is marked `lang="zh"` so that
//! browsers pick CJK fonts and line breaking for it (and screen readers its voice). A leaf
//! module: it reads characters only.

/// Counts of letters by script.
#[derive(Default)]
struct Scripts {
    han: usize,
    kana: usize,
    hangul: usize,
    latin: usize,
}

impl Scripts {
    fn of(text: &str) -> Scripts {
        let mut s = Scripts::default();
        for c in without_urls(text) {
            match c as u32 {
                0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF => s.han += 1,
                // Hiragana and Katakana letters (not the middle dot or the prolonged sound mark
                // alone, which Chinese text borrows now and then).
                0x3041..=0x3096 | 0x30A1..=0x30FA | 0x31F0..=0x31FF | 0xFF66..=0xFF9D => s.kana += 1,
                0xAC00..=0xD7A3 | 0x1100..=0x11FF | 0x3130..=0x318F => s.hangul += 1,
                _ if c.is_ascii_alphabetic() => s.latin += 1,
                0xC0..=0x24F if c.is_alphabetic() => s.latin += 1,
                _ => {}
            }
        }
        s
    }
}

/// The characters of `text` but those of URLs (`https://…` up to a space or a CJK character):
/// a link's letters are no words, and a Chinese sentence citing a repository is Chinese.
fn without_urls(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut rest = text;
    std::iter::from_fn(move || {
        loop {
            if rest.starts_with("http://") || rest.starts_with("https://") {
                let end = rest.find(|c: char| c.is_whitespace() || c >= '\u{2E80}').unwrap_or(rest.len());
                rest = &rest[end..];
                continue;
            }
            let c = rest.chars().next()?;
            rest = &rest[c.len_utf8()..];
            return Some(c);
        }
    })
}

/// The language `text` is mostly written in, by script: `zh` for Han, `ja` for Han with
/// Kana, `ko` for Hangul, `en` for Latin; none for text without letters. A CJK character
/// counts as two Latin letters (a word of English is five or six letters, of Chinese two
/// characters), so a Chinese sentence naming a model or two in Latin letters is still Chinese.
pub fn detect(text: &str) -> Option<&'static str> {
    let s = Scripts::of(text);
    let cjk = s.han + s.kana + s.hangul;
    if cjk > 0 && cjk * 2 >= s.latin {
        return Some(if s.hangul > s.han + s.kana {
            "ko"
        } else if s.kana * 20 >= cjk {
            "ja"
        } else {
            "zh"
        });
    }
    (s.latin > 0).then_some("en")
}

/// The `lang` attribute a part with `text` needs on a site in `site_language` (`en`,
/// `zh-CN`…): the detected language when its script differs from the site's, else none (the
/// part inherits `<html lang>`). Latin text is marked `en` only on a CJK site: on a French
/// site, Latin text is taken to be the site's own language.
pub fn differing(text: &str, site_language: &str) -> Option<&'static str> {
    let site = primary(site_language);
    let found = detect(text)?;
    let site_is_cjk = matches!(site.as_str(), "zh" | "ja" | "ko");
    match found {
        "en" if !site_is_cjk => None,
        f if f == site => None,
        f => Some(f),
    }
}

/// The primary subtag of a language tag, lowercased: `zh-Hans-CN` → `zh`.
fn primary(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or("").trim().to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_script_of_a_part() {
        assert_eq!(detect("稀疏注意力让长视频生成更便宜。"), Some("zh"));
        assert_eq!(detect("我们提出 Qwen2.5-VL-72B-Instruct 的稀疏注意力变体。"), Some("zh"));
        assert_eq!(detect("拡散モデルによる動画生成を高速化する。"), Some("ja"));
        assert_eq!(detect("확산 모델로 영상을 만든다."), Some("ko"));
        assert_eq!(detect("Sparse Attention for Long Video Generation"), Some("en"));
        assert_eq!(detect("Étude des réseaux"), Some("en"));
        assert_eq!(detect("A benchmark named 图推理 in passing."), Some("en"));
        assert_eq!(detect("2025 · 42 — $x^2$"), Some("en"));
        assert_eq!(detect("2025 · 42"), None);
        assert_eq!(detect("见https://github.com/example/a-very-long-repository-name。"), Some("zh"));
        assert_eq!(detect("See https://github.com/example/稀疏 now"), Some("en"));
        assert_eq!(detect("https://example.com/a"), None);
        assert_eq!(detect(""), None);
    }

    #[test]
    fn marks_only_parts_whose_script_differs_from_the_site() {
        assert_eq!(differing("稀疏注意力让长视频生成更便宜。", "en"), Some("zh"));
        assert_eq!(differing("Sparse attention", "en"), None);
        assert_eq!(differing("Sparse attention", "en-GB"), None);
        assert_eq!(differing("Sparse attention", "fr"), None);
        assert_eq!(differing("Sparse attention", "zh"), Some("en"));
        assert_eq!(differing("Sparse attention", "zh-CN"), Some("en"));
        assert_eq!(differing("稀疏注意力", "zh-Hans"), None);
        assert_eq!(differing("稀疏注意力", "ZH_cn"), None);
        assert_eq!(differing("拡散モデルによる生成", "zh"), Some("ja"));
        assert_eq!(differing("拡散モデルによる生成", "ja"), None);
        assert_eq!(differing("2025", "zh"), None);
    }
}
