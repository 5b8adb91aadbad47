//! The command line: parses arguments with clap and calls the library. Nothing here knows
//! how a site is built; it only chooses what to run and how to print the outcome.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::error::Error;

/// papershelf: a static site generator for daily research-paper digests.
#[derive(Debug, Parser)]
#[command(name = "papershelf", version, about)]
pub struct Cli {
    /// The site folder (holding site.toml and content/).
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into public/ (or --output DIR).
    Build {
        /// The output folder, instead of site.toml's output_dir.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// The site's URL, instead of site.toml's base_url (e.g. https://user.github.io/repo/).
        // The text is `--help`'s: a bare URL reads better there than rustdoc's `<…>`.
        #[allow(rustdoc::bare_urls)]
        #[arg(long)]
        base_url: Option<String>,
        /// Include papers marked `draft = true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Build, serve on 127.0.0.1, watch for changes, rebuild and reload the browser.
    Serve {
        /// The port; the next free one is used when it is taken.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Include papers marked `draft = true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Validate the whole site, write nothing, and list every problem.
    Check {
        /// Also build the site (into a temporary folder) and check that every internal link,
        /// anchor and asset resolves under the base path.
        #[arg(long)]
        links: bool,
        /// With --links, also check external links over HTTP.
        #[arg(long, requires = "links")]
        external: bool,
    },
    /// Create a new site in DIR: site.toml, a sample day, templates/, a GitHub Pages workflow.
    Init {
        dir: PathBuf,
        /// Allow a folder that is not empty (existing files are still never overwritten).
        #[arg(long)]
        force: bool,
    },
    /// Write a paper-file stub for a day.
    New {
        /// The day, as YYYY-MM-DD.
        date: String,
        /// The paper's title.
        title: String,
    },
    /// Convert table digests and daily-arXiv .jsonl files into paper files under content/, or
    /// import a day of Hugging Face daily papers (--hf-daily DATE).
    Import {
        /// Digest files (.md, .jsonl), or folders searched for them.
        #[arg(required_unless_present = "hf_daily", conflicts_with = "hf_daily")]
        paths: Vec<PathBuf>,
        /// Overwrite paper files that exist with other content (not with --hf-daily).
        #[arg(long, conflicts_with = "hf_daily")]
        force: bool,
        /// Write paper files for that day's Hugging Face daily papers (YYYY-MM-DD), each with
        /// the abstract as a placeholder summary; never overwrites a file.
        #[arg(long, value_name = "DATE")]
        hf_daily: Option<String>,
    },
    /// Fetch arXiv and Hugging Face metadata for every paper with an arXiv id into data/arxiv/
    /// (never into content files); builds use it offline.
    Enrich {
        /// Fetch again papers fetched before.
        #[arg(long)]
        force: bool,
        /// Only the papers listed on these days (YYYY-MM-DD) or with these arXiv ids.
        #[arg(long, num_args = 1.., value_name = "DATE|ID")]
        only: Vec<String>,
    },
}

/// Runs a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    match dispatch(cli) {
        Ok(()) => 0,
        Err(e) => {
            report(&e);
            e.exit_code()
        }
    }
}

fn dispatch(cli: Cli) -> Result<(), Error> {
    let root = cli.root;
    match cli.command {
        Command::Build { output, base_url, drafts } => {
            let report = crate::build::build(
                &root,
                &crate::project::Options { output, base_url, drafts, ..Default::default() },
            )?;
            print_warnings(&report.warnings);
            print_broken(&report.broken_links);
            crate::outln!(
                "built {} papers on {} days: {} files, {} ({} bytes) in {} in {} ms",
                report.papers,
                report.days,
                report.size.files,
                crate::output::human_bytes(report.size.bytes),
                report.size.bytes,
                report.output.display(),
                report.millis
            );
            if let Some(warning) = report.size.over_pages_limit() {
                crate::errln!("warning: {warning}");
            }
            Ok(())
        }
        Command::Serve { port, bind, open, drafts } => {
            crate::serve::serve(&root, crate::serve::ServeOptions { bind, port, open, drafts })
        }
        Command::Check { links, external } => {
            let summary = crate::check::check(&root)?;
            print_warnings(&summary.warnings);
            crate::outln!("{}", summary.line);
            if links {
                let checked = crate::check::check_links(&root, external)?;
                crate::outln!("{checked}");
            }
            Ok(())
        }
        Command::Init { dir, force } => {
            let report = crate::init::init(&dir, force)?;
            for p in &report.written {
                crate::outln!("wrote {}", p.display());
            }
            for p in &report.kept {
                crate::outln!("kept {} (it exists)", p.display());
            }
            crate::outln!(
                "a new site is in {}: `papershelf --root {} serve` previews it",
                dir.display(),
                dir.display()
            );
            Ok(())
        }
        Command::New { date, title } => {
            let path = crate::import::new_paper(&root, &date, &title)?;
            crate::outln!("wrote {}", path.display());
            Ok(())
        }
        Command::Enrich { force, only } => {
            let report = crate::enrich::enrich(&root, &crate::enrich::Options { force, only })?;
            print_warnings(&report.warnings);
            crate::outln!("{}", enrich_line(&report));
            Ok(())
        }
        Command::Import { paths, force, hf_daily } => import(&root, &paths, force, hf_daily),
    }
}

/// `import`: table digests, or a day of Hugging Face daily papers; prints each file written.
fn import(root: &std::path::Path, paths: &[PathBuf], force: bool, hf_daily: Option<String>) -> Result<(), Error> {
    let daily = hf_daily.is_some();
    let report = match hf_daily {
        Some(date) => crate::enrich::daily::import_daily(root, &date)?,
        None => crate::import::import(root, paths, force)?,
    };
    print_warnings(&report.warnings);
    for p in &report.written {
        crate::outln!("wrote {}", p.display());
    }
    crate::outln!(
        "imported: {} written, {} unchanged, {} kept",
        report.written.len(),
        report.unchanged.len(),
        report.kept.len()
    );
    if daily {
        // A day imported before and edited since: the edits are the point, keep them.
        for p in &report.kept {
            crate::outln!("kept {} (it exists with other content)", p.display());
        }
    }
    if report.kept.is_empty() || daily {
        return Ok(());
    }
    let problems = report
        .kept
        .iter()
        .map(|p| {
            crate::diagnostic::Diagnostic::error(p, "exists with other content; left as it is")
                .with_hint("pass --force to overwrite it with the imported paper")
        })
        .collect();
    Err(Error::Problems(problems))
}

/// The last line of `enrich`: what was fetched, what was there already, how many requests.
fn enrich_line(r: &crate::enrich::Report) -> String {
    let dir = crate::enrich::store::DIR;
    if r.fetched == 0 {
        return format!(
            "enrich: all {} papers with an arXiv id have their metadata in {dir}/; nothing asked \
             (`papershelf enrich --force` fetches again)",
            r.papers
        );
    }
    let unknown = r.warnings.iter().filter(|w| w.message.starts_with("arXiv has no paper")).count();
    format!(
        "enrich: fetched {} of {} papers into {dir}/ ({} unknown to arXiv, {} not on Hugging Face), \
         {} fetched before; {} requests",
        r.fetched, r.papers, unknown, r.not_listed, r.up_to_date, r.requests
    )
}

/// Broken internal links after a build: warnings, the site is still written.
fn print_broken(broken: &[crate::linkcheck::Broken]) {
    const SHOWN: usize = 20;
    for b in broken.iter().take(SHOWN) {
        crate::errln!("warning: broken link: {b}");
    }
    if broken.len() > SHOWN {
        crate::errln!(
            "warning: … and {} more broken links (`papershelf check --links` lists all)",
            broken.len() - SHOWN
        );
    }
}

fn print_warnings(warnings: &[crate::diagnostic::Diagnostic]) {
    for w in warnings {
        crate::err_text!("{w}");
    }
}

fn report(e: &Error) {
    match e {
        Error::Problems(diagnostics) => {
            for d in diagnostics {
                crate::err_text!("{d}");
            }
            crate::errln!("error: {e}");
        }
        Error::Usage(_) | Error::Serve(_) | Error::Fetch(_) | Error::Io { .. } => crate::errln!("error: {e}"),
    }
}
