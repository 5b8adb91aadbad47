//! The related papers behind `serve`'s output, and whether they are behind the model.
//!
//! Related papers need the whole site's text (seconds at 100,000 papers), so in
//! [`Mode::Serve`](super::Mode::Serve) a text edit is written at once with the lists the
//! pages had, and the lists are computed off the edit's path ([`Project::related_job`]) and
//! settled later ([`Project::settle_related`]). [`RelatedState`] says which of the two the
//! output is in; its generation counts the good models written, so it goes up only once a
//! save is known to be good: a bad save leaves a running job current.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::Project;
use crate::render::related::Related;

/// Whether the related papers of the output are those of the model behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelatedState {
    /// They are: the model of generation `generation` and its lists were written together.
    Current { generation: u64 },
    /// A text edit left them behind the model of generation `generation`; `started` once a
    /// job computing them was handed out (it stays current until the next good save).
    Pending { generation: u64, started: bool },
}

impl Default for RelatedState {
    fn default() -> Self {
        RelatedState::Current { generation: 0 }
    }
}

impl RelatedState {
    fn generation(self) -> u64 {
        match self {
            RelatedState::Current { generation } | RelatedState::Pending { generation, .. } => generation,
        }
    }
}

/// The related papers of a snapshot of the model's papers, to compute off the edit's path.
pub struct RelatedJob {
    papers: Vec<Arc<crate::model::Paper>>,
    generation: u64,
    /// The project's newest generation: a job overtaken before it runs is skipped.
    newest: Arc<AtomicU64>,
}

/// A [`RelatedJob`] done.
pub struct RelatedDone {
    pub(super) related: Related,
    generation: u64,
}

impl RelatedJob {
    /// Whether a newer good save made this job useless.
    pub fn overtaken(&self) -> bool {
        self.newest.load(Ordering::SeqCst) != self.generation
    }

    pub fn run(self) -> RelatedDone {
        RelatedDone { related: Related::of_papers(&self.papers), generation: self.generation }
    }
}

impl Project {
    /// Records a good model written to the output, with its related papers computed (`behind`
    /// false) or left behind it (true): the only place the generation goes up.
    pub(super) fn model_written(&mut self, behind: bool) {
        let generation = self.related_state.generation() + 1;
        self.related_state = if behind {
            RelatedState::Pending { generation, started: false }
        } else {
            RelatedState::Current { generation }
        };
        self.newest.store(generation, Ordering::SeqCst);
    }

    /// Whether the related papers are behind the output's model.
    pub fn related_state(&self) -> RelatedState {
        self.related_state
    }

    /// When an edit left the related papers behind and no job was handed out for it yet, what
    /// computing them takes: the model's papers (shared, not copied), to run on another
    /// thread. A job handed out stays current until the next good save, so a bad save (or
    /// one that changes no content) starts none.
    pub fn related_job(&mut self) -> Option<RelatedJob> {
        let RelatedState::Pending { generation, started: false } = self.related_state else { return None };
        let site = self.built.as_ref()?;
        self.related_state = RelatedState::Pending { generation, started: true };
        Some(RelatedJob { papers: site.papers.clone(), generation, newest: Arc::clone(&self.newest) })
    }

    /// Whether `done` is the related papers of the output's model, still to be written.
    pub(super) fn settles(&self, done: &RelatedDone) -> bool {
        matches!(self.related_state, RelatedState::Pending { generation, .. } if generation == done.generation)
            && self.built.is_some()
    }

    /// Marks the related papers as written for the output's model.
    pub(super) fn related_settled(&mut self) {
        self.related_state = RelatedState::Current { generation: self.related_state.generation() };
    }
}
