//! HTTP for `enrich` and `import --hf-daily` (ureq, blocking): the two base URLs from the
//! environment, arXiv's rate limit (one request every 3 s), bounded retries of throttled and
//! failed answers, and outages named by host.

use std::time::{Duration, Instant};

use indicatif::ProgressBar;

use crate::error::Error;

/// The default base URLs, and the variables that replace them (for tests and mirrors).
pub const ARXIV_API: (&str, &str) = ("PAPERSHELF_ARXIV_API", "https://export.arxiv.org/api/query");
pub const HF_API: (&str, &str) = ("PAPERSHELF_HF_API", "https://huggingface.co/api");
/// The least time between two arXiv requests, in milliseconds (arXiv asks for 3 s).
pub const INTERVAL_VAR: &str = "PAPERSHELF_ARXIV_INTERVAL_MS";
const DEFAULT_INTERVAL: Duration = Duration::from_secs(3);
/// How often a throttled or failed request is tried again, waiting the interval, then twice
/// that, then four times (21 s in all at arXiv's pace).
const RETRIES: u32 = 3;
const TIMEOUT: Duration = Duration::from_secs(60);

/// A service that could not be reached, or kept failing: its host and what went wrong.
#[derive(Debug)]
pub struct Outage {
    pub host: String,
    pub what: String,
}

/// The blocking client of one run, with the time of the last arXiv request.
pub struct Client {
    agent: ureq::Agent,
    pub arxiv_base: String,
    pub hf_base: String,
    interval: Duration,
    last_arxiv: Option<Instant>,
    /// Requests sent so far (retries included).
    pub requests: usize,
    pub progress: ProgressBar,
}

impl Client {
    /// A client with the base URLs and interval from the environment; a bad value is a usage
    /// error naming the variable.
    pub fn from_env(progress: ProgressBar) -> Result<Client, Error> {
        let base = |(var, default): (&str, &str)| -> Result<String, Error> {
            let value = std::env::var(var).unwrap_or_else(|_| default.to_string());
            if crate::safe::is_web_url(&value) {
                Ok(value.trim().trim_end_matches('/').to_string())
            } else {
                Err(Error::Usage(format!("{var}={value:?} is not an http(s) URL such as {default}")))
            }
        };
        let interval = match std::env::var(INTERVAL_VAR) {
            Ok(ms) => Duration::from_millis(ms.trim().parse().map_err(|_| {
                Error::Usage(format!("{INTERVAL_VAR}={ms:?} is not a number of milliseconds such as 3000"))
            })?),
            Err(_) => DEFAULT_INTERVAL,
        };
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            .http_status_as_error(false)
            .user_agent(concat!(
                "papershelf/",
                env!("CARGO_PKG_VERSION"),
                " (+https://github.com/papershelf/papershelf)"
            ))
            .build()
            .into();
        Ok(Client {
            agent,
            arxiv_base: base(ARXIV_API)?,
            hf_base: base(HF_API)?,
            interval,
            last_arxiv: None,
            requests: 0,
            progress,
        })
    }

    /// The body of an arXiv answer, asked no sooner than the interval after the last one.
    pub fn arxiv(&mut self, url: &str) -> Result<String, Outage> {
        match self.get(url, true)? {
            (200, body) => Ok(body),
            (status, body) => Err(outage(url, format!("HTTP {status} ({})", first_line(&body)))),
        }
    }

    /// The body of a Hugging Face answer; none for a 404 (a paper it does not list).
    pub fn hf(&mut self, url: &str) -> Result<Option<String>, Outage> {
        match self.get(url, false)? {
            (200, body) => Ok(Some(body)),
            (404, _) => Ok(None),
            (status, body) => Err(outage(url, format!("HTTP {status} ({})", first_line(&body)))),
        }
    }

    /// Status and body of a GET, retrying throttled answers (429, 503, "Rate exceeded.") and
    /// server errors a bounded number of times; a connection that fails is an outage at once.
    fn get(&mut self, url: &str, throttled: bool) -> Result<(u16, String), Outage> {
        let mut attempt = 0;
        loop {
            if throttled {
                self.wait_turn();
            }
            self.requests += 1;
            let mut response = self.agent.get(url).call().map_err(|e| outage(url, describe(&e)))?;
            let status = response.status().as_u16();
            let body = response
                .body_mut()
                .with_config()
                .limit(64 << 20)
                .read_to_string()
                .map_err(|e| outage(url, format!("the answer broke off: {}", describe(&e))))?;
            let rate = status == 429 || status == 503 || body.trim_start().starts_with("Rate exceeded");
            if !rate && status < 500 {
                return Ok((status, body));
            }
            if attempt == RETRIES {
                let what = format!("HTTP {status} ({}), {} tries", first_line(&body), RETRIES + 1);
                return Err(outage(url, what));
            }
            let wait = self.interval.max(Duration::from_millis(1)) * 2u32.pow(attempt);
            let why = if rate { "throttled" } else { "server error" };
            self.progress.set_message(format!("{} {why}: trying again in {:.0} s", host(url), wait.as_secs_f64()));
            std::thread::sleep(wait);
            attempt += 1;
        }
    }

    /// Sleeps until the interval since the last arXiv request has passed.
    fn wait_turn(&mut self) {
        if let Some(last) = self.last_arxiv {
            let next = last + self.interval;
            let now = Instant::now();
            if next > now {
                let secs = self.interval.as_secs_f64();
                self.progress.set_message(format!("waiting: arXiv asks for one request every {secs:.0} s"));
                std::thread::sleep(next - now);
            }
        }
        self.last_arxiv = Some(Instant::now());
        self.progress.set_message("");
    }
}

/// The host (and port, when one is given) of a URL.
pub fn host(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => match (u.host_str(), u.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_string(),
            _ => url.to_string(),
        },
        Err(_) => url.to_string(),
    }
}

fn outage(url: &str, what: String) -> Outage {
    Outage { host: host(url), what }
}

fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => format!("no answer within {} s", TIMEOUT.as_secs()),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => "connection refused".into(),
        other => other.to_string(),
    }
}

/// The first line of an answer's body, short, for a message.
fn first_line(body: &str) -> String {
    let line = body.trim().lines().next().unwrap_or("").trim();
    match line.char_indices().nth(80) {
        _ if line.is_empty() => "an empty answer".into(),
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_string(),
    }
}
