//! `borging` finds evidence that a Dutch school plan, pilot report or subsidy application
//! sustains its results (*borging*): goals, an embedding policy, periodic evaluation,
//! improvement actions, ownership and continuation after the project ends.
//!
//! The crate is a batch pipeline; each module is one stage, in this order:
//!
//! ```text
//! discover ──► extract ──► normalize ──► matcher ──► score ──► report
//!  (paths)     (pages)    (folded text)   (hits)    (verdict)   (CSV)
//! ```
//!
//! [`pipeline`] is the only module that knows about threads and progress bars; every other
//! stage is a plain function of its input. A document never ends a run: whatever happens
//! to it (a broken file, a password, a panic) becomes its [`outcome::Outcome`], one row.
//!
//! Each stage uses only stages to its left. What several stages share sits below them all
//! in leaf modules: [`status`] (what became of a document), [`stop`] (the Ctrl-C flag that
//! the pipeline and extraction's deadlines read), [`safe_text`] (hostile text made safe
//! to print, file names written exactly) and [`tempfiles`] (files renamed into place when complete).

pub mod cache;
pub mod cli;
pub mod discover;
pub mod explain;
pub mod extract;
pub mod isolate;
pub mod matcher;
pub mod normalize;
pub mod outcome;
pub mod pipeline;
pub mod plural;
pub mod report;
pub mod rules;
pub mod safe_text;
pub mod score;
pub mod status;
pub mod stop;
pub mod tempfiles;
