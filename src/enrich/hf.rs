//! The Hugging Face papers API: `/api/papers/<id>` (one paper: upvotes, code repository,
//! project page, author names, keywords) and `/api/daily_papers?date=…` (a day's list), read
//! with serde_json. Fields papershelf does not use are ignored; a missing one is empty.

use serde::Deserialize;

use super::store::HfPart;
use crate::content::one_line;

/// A paper as the API gives it, in both answers.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Paper {
    pub id: String,
    pub title: String,
    pub authors: Vec<Author>,
    pub summary: String,
    pub upvotes: Option<u64>,
    pub github_repo: Option<String>,
    pub project_page: Option<String>,
    #[serde(rename = "ai_keywords")]
    pub ai_keywords: Vec<String>,
    pub published_at: Option<String>,
}

/// An author of a paper (`user` is the Hugging Face account that claimed the name, if any).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Author {
    pub name: String,
    pub hidden: bool,
}

/// One item of a day's list.
#[derive(Debug, Deserialize)]
struct DailyItem {
    paper: Paper,
}

/// The URL of one paper.
pub fn paper_url(base: &str, id: &str) -> String {
    format!("{}/papers/{id}", base.trim_end_matches('/'))
}

/// The URL of a day's list of papers.
pub fn daily_url(base: &str, date: &str) -> String {
    format!("{}/daily_papers?date={date}", base.trim_end_matches('/'))
}

/// Parses the answer for one paper.
pub fn parse_paper(json: &str) -> Result<Paper, String> {
    serde_json::from_str(json).map_err(|e| format!("the answer is not a paper's JSON: {e}"))
}

/// Parses a day's list.
pub fn parse_daily(json: &str) -> Result<Vec<Paper>, String> {
    let items: Vec<DailyItem> =
        serde_json::from_str(json).map_err(|e| format!("the answer is not a list of daily papers: {e}"))?;
    Ok(items.into_iter().map(|i| i.paper).collect())
}

impl Paper {
    /// The names of its authors, in order, blank ones left out.
    pub fn author_names(&self) -> Vec<String> {
        self.authors.iter().map(|a| one_line(&a.name)).filter(|n| !n.is_empty()).collect()
    }

    /// What the record keeps of it.
    pub fn part(&self) -> HfPart {
        let url = |u: &Option<String>| u.as_ref().map(|u| u.trim().to_string()).filter(|u| !u.is_empty());
        HfPart {
            listed: true,
            upvotes: self.upvotes,
            github: url(&self.github_repo),
            project: url(&self.project_page),
            authors: self.author_names(),
            keywords: self.ai_keywords.iter().map(|k| one_line(k)).filter(|k| !k.is_empty()).collect(),
            abstract_text: Some(one_line(&self.summary)).filter(|s| !s.is_empty()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paper_is_read_with_its_optional_fields() {
        let json = r#"{"id":"2410.16256","authors":[{"_id":"671","name":"Maosong Cao","hidden":false},
            {"_id":"672","user":{"_id":"6","fullname":"Kai Chen","user":"KennyUTC","type":"user"},"name":"Kai Chen","status":"claimed_verified","hidden":false}],
            "mediaUrls":[],"publishedAt":"2024-10-21T17:56:51.000Z","title":"CompassJudger-1","summary":"Efficient and\naccurate.",
            "upvotes":71,"discussionId":"6717","githubRepo":"https://github.com/open-compass/CompassJudger",
            "ai_keywords":["judge model","evaluation"],"githubStars":120}"#;
        let p = parse_paper(json).unwrap();
        let part = p.part();
        assert_eq!(part.authors, ["Maosong Cao", "Kai Chen"]);
        assert_eq!(part.upvotes, Some(71));
        assert_eq!(part.github.as_deref(), Some("https://github.com/open-compass/CompassJudger"));
        assert_eq!(part.project, None);
        assert_eq!(part.keywords, ["judge model", "evaluation"]);
        assert_eq!(part.abstract_text.as_deref(), Some("Efficient and accurate."));
    }

    #[test]
    fn a_daily_list_is_read() {
        let json = r#"[{"paper":{"id":"2410.16256","title":"A","authors":[],"summary":"S","upvotes":3},
            "publishedAt":"2024-10-21T17:56:51.000Z","title":"A","thumbnail":"https://x/y.png","numComments":2}]"#;
        let papers = parse_daily(json).unwrap();
        assert_eq!(papers.len(), 1);
        assert_eq!(papers[0].id, "2410.16256");
        assert!(parse_daily(r#"{"error":"Invalid date"}"#).is_err());
    }
}
