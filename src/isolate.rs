//! `--isolate`: extraction in worker processes, so that even a fatal crash of a parser
//! (a stack overflow, an abort, the kernel's out-of-memory killer) costs one row, not the run.
//!
//! `catch_unwind` turns panics into rows, but nothing inside a process survives the process
//! dying. Here the parent keeps a [`Pool`] of workers, `borging __worker` processes that
//! each read one request per line on standard input (a path and the run's [`Options`], as
//! JSON) and answer with the [`Extraction`] as one JSON line on standard output. Each rayon
//! thread takes an idle worker (or starts one), so there are never more workers than jobs.
//!
//! The parent also enforces the deadline from outside: a worker that has not answered
//! `timeout` + [`GRACE`] after the request is killed and the document is a `timeout` row.
//! A worker that dies is reaped and the document is an `error` row, "worker crashed
//! (signal N)" with the last line the worker wrote to standard error; the next document
//! starts a fresh worker. Matching and scoring stay in the parent: they are our own code on
//! plain text, and isolating them would only cost a copy.

use crate::extract::{self, Extraction, Format, Options};
use crate::status::Status;
use serde::{Deserialize, Serialize};
use std::ffi::OsString;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Time a worker gets beyond the document deadline before the parent kills it: the worker
/// checks its own deadline only between steps, and it has to write its answer.
pub const GRACE: Duration = Duration::from_secs(2);

/// The worker's stack, as large as the pipeline's threads so both modes behave alike.
const WORKER_STACK: usize = 16 << 20;

/// One request to a worker.
#[derive(Debug, Serialize, Deserialize)]
struct Request {
    /// The path as raw bytes: file names need not be UTF-8.
    path: Vec<u8>,
    options: Options,
}

#[cfg(unix)]
fn path_to_bytes(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes().to_vec()
}

#[cfg(unix)]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(OsString::from_vec(bytes))
}

#[cfg(not(unix))]
fn path_to_bytes(path: &Path) -> Vec<u8> {
    path.to_string_lossy().into_owned().into_bytes()
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

/// The worker side: answers requests from `input` on `output` until `input` ends; a
/// panic becomes the document's `error` answer.
pub fn serve(input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    for line in input.lines() {
        let request: Request = serde_json::from_str(&line?).map_err(io::Error::other)?;
        let path = path_from_bytes(request.path);
        let extraction = catch_unwind(AssertUnwindSafe(|| {
            extract::extract_file(&path, &request.options)
        }))
        .unwrap_or_else(|payload| {
            let reason = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            Extraction::failed(
                Format::from_extension(&path),
                Status::Error,
                format!("internal error (please report): {reason}"),
            )
        });
        serde_json::to_writer(&mut output, &extraction).map_err(io::Error::other)?;
        output.write_all(b"\n")?;
        output.flush()?;
    }
    Ok(())
}

/// The entry point of `borging __worker`: [`serve`] on standard input and output, on a
/// thread with the pipeline's stack size so that both modes behave alike.
pub fn worker_main() -> std::process::ExitCode {
    // The default hook would print every contained panic; the answer carries it instead.
    std::panic::set_hook(Box::new(|_| {}));
    let served = std::thread::Builder::new()
        .name("worker".into())
        .stack_size(WORKER_STACK)
        .spawn(|| serve(io::stdin().lock(), io::BufWriter::new(io::stdout().lock())))
        .and_then(|thread| {
            thread
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("the worker thread panicked")))
        });
    match served {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("borging worker: {err}");
            std::process::ExitCode::from(2)
        }
    }
}

/// Worker processes for one run; shared by the pipeline's threads.
pub struct Pool {
    program: OsString,
    args: Vec<OsString>,
    options: Options,
    idle: Mutex<Vec<Worker>>,
}

impl Pool {
    /// Workers are this executable run as `borging __worker`.
    pub fn new(options: Options) -> io::Result<Pool> {
        let exe = std::env::current_exe()?;
        Ok(Pool::with_command(exe, ["__worker"], options))
    }

    /// Workers are `program args…`, which must speak the worker protocol (see [`serve`]).
    /// Tests use it to stand in a worker that crashes or hangs.
    pub fn with_command<I, S>(program: impl Into<OsString>, args: I, options: Options) -> Pool
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        Pool {
            program: program.into(),
            args: args.into_iter().map(Into::into).collect(),
            options,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Extracts one file in a worker. Infallible by signature, like
    /// [`extract::extract_file`]: whatever happens to the worker is this document's status.
    pub fn extract(&self, path: &Path) -> Extraction {
        let claimed = Format::from_extension(path);
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut worker = match idle {
            Some(worker) => worker,
            None => match self.start() {
                Ok(worker) => worker,
                Err(err) => {
                    return Extraction::failed(
                        claimed,
                        Status::Error,
                        format!("cannot start a worker process: {err}"),
                    );
                }
            },
        };
        let request = Request {
            path: path_to_bytes(path),
            options: self.options.clone(),
        };
        let sent = serde_json::to_string(&request)
            .map_err(io::Error::other)
            .and_then(|line| writeln!(worker.stdin, "{line}"))
            .and_then(|()| worker.stdin.flush());
        if sent.is_err() {
            // The worker died before it could take the request.
            return Extraction::failed(claimed, Status::Error, worker.died());
        }
        match worker.answers.recv_timeout(self.options.timeout + GRACE) {
            Ok(line) => match serde_json::from_str::<Extraction>(&line) {
                Ok(extraction) => {
                    self.idle
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(worker);
                    extraction
                }
                Err(err) => {
                    worker.kill();
                    Extraction::failed(
                        claimed,
                        Status::Error,
                        format!("the worker sent an unreadable answer: {err}"),
                    )
                }
            },
            Err(RecvTimeoutError::Timeout) => {
                worker.kill();
                Extraction::failed(
                    claimed,
                    Status::Timeout,
                    format!(
                        "timed out: the worker was stopped after {} s",
                        (self.options.timeout + GRACE).as_secs_f32()
                    ),
                )
            }
            Err(RecvTimeoutError::Disconnected) => {
                Extraction::failed(claimed, Status::Error, worker.died())
            }
        }
    }

    fn start(&self) -> io::Result<Worker> {
        let mut child = Command::new(&self.program)
            .args(&self.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let stdin = child.stdin.take().expect("stdin is piped");
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        // A thread per pipe: the answer is awaited with a timeout, and standard error must
        // be drained so that a chatty worker never blocks on it.
        let (send, answers) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let last_words = Arc::new(Mutex::new(String::new()));
        let tail = Arc::clone(&last_words);
        let stderr_reader = std::thread::spawn(move || keep_last_line(stderr, &tail));
        Ok(Worker {
            child,
            stdin,
            answers,
            last_words,
            stderr_reader: Some(stderr_reader),
        })
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        let idle = std::mem::take(self.idle.get_mut().unwrap_or_else(|e| e.into_inner()));
        for worker in idle {
            worker.stop();
        }
    }
}

/// Keeps the last non-empty line of `stream`, up to 300 characters, in `tail`.
fn keep_last_line(stream: impl Read, tail: &Mutex<String>) {
    for line in BufReader::new(stream).split(b'\n') {
        let Ok(line) = line else { break };
        let line = extract::one_line(&String::from_utf8_lossy(&line));
        if !line.is_empty() {
            let mut tail = tail.lock().unwrap_or_else(|e| e.into_inner());
            *tail = line.chars().take(300).collect();
        }
    }
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    answers: Receiver<String>,
    last_words: Arc<Mutex<String>>,
    stderr_reader: Option<JoinHandle<()>>,
}

impl Worker {
    /// Reaps a worker whose output ended and says how it ended.
    fn died(mut self) -> String {
        let status = self.wait_for(Duration::from_secs(2));
        // The worker is gone, so its standard error is complete once the reader is done.
        if let Some(reader) = self.stderr_reader.take() {
            let _ = reader.join();
        }
        let last_words = self
            .last_words
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let how = describe(status);
        if last_words.is_empty() {
            how
        } else {
            format!("{how}: {last_words}")
        }
    }

    /// Waits up to `patience` for the worker to exit, then kills it.
    fn wait_for(&mut self, patience: Duration) -> Option<ExitStatus> {
        let started = Instant::now();
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => return Some(status),
                Ok(None) if started.elapsed() < patience => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                _ => {
                    let _ = self.child.kill();
                    return self.child.wait().ok();
                }
            }
        }
    }

    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Ends an idle worker: closing its standard input is its signal to exit.
    fn stop(self) {
        let Worker {
            mut child, stdin, ..
        } = self;
        drop(stdin);
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(1) {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// "worker crashed (signal 11)" or "worker exited unexpectedly (code 1)".
fn describe(status: Option<ExitStatus>) -> String {
    let Some(status) = status else {
        return "worker crashed (its exit status is unknown)".into();
    };
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("worker crashed (signal {signal})");
        }
    }
    match status.code() {
        // Rust's abort and some runtimes exit with 128 + the signal instead of dying of it.
        Some(code) if code > 128 => format!("worker crashed (exit code {code})"),
        Some(code) => format!("worker exited unexpectedly (code {code})"),
        None => "worker crashed".into(),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::extract::Page;

    /// A pool whose workers are `sh -c script`: stand-ins that crash, hang or babble.
    fn shell_pool(script: &str, timeout: Duration) -> Pool {
        let options = Options {
            timeout,
            ..Options::default()
        };
        Pool::with_command("sh", ["-c", script], options)
    }

    /// A well-formed answer, as a worker would send it.
    fn answer(text: &str) -> String {
        serde_json::to_string(&Extraction {
            format: Some(Format::Text),
            status: Status::Ok,
            message: String::new(),
            pages: vec![Page {
                number: 1,
                label: None,
                text: text.into(),
                ocr: false,
            }],
            sha256: String::new(),
        })
        .unwrap()
    }

    #[test]
    fn crashed_worker_costs_one_row_and_is_replaced() {
        // Answers every request, except that it dies of SIGKILL (as under the OOM killer)
        // on a path holding "boem" (bytes 98,111,101,109 in the request), after a last
        // word on standard error.
        let script = format!(
            "while read line; do case \"$line\" in *98,111,101,109*) echo 'out of memory' >&2; \
             kill -KILL $$;; esac; printf '%s\\n' '{}'; done",
            answer("hallo")
        );
        let pool = shell_pool(&script, Duration::from_secs(5));
        assert_eq!(pool.extract(Path::new("a.txt")).pages[0].text, "hallo");
        let crashed = pool.extract(Path::new("boem.txt"));
        assert_eq!(crashed.status, Status::Error);
        assert_eq!(crashed.format, Some(Format::Text));
        assert_eq!(crashed.message, "worker crashed (signal 9): out of memory");
        let after = pool.extract(Path::new("c.txt"));
        assert_eq!(after.status, Status::Ok, "{}", after.message);
        assert_eq!(after.pages[0].text, "hallo");
    }

    #[test]
    fn worker_exiting_like_an_abort_is_a_crash_row() {
        let pool = shell_pool("read line; exit 134", Duration::from_secs(5));
        let got = pool.extract(Path::new("plan.pdf"));
        assert_eq!(got.status, Status::Error);
        assert_eq!(got.message, "worker crashed (exit code 134)");
    }

    #[test]
    fn hung_worker_is_killed_after_the_deadline_and_grace() {
        let pool = shell_pool("read line; exec sleep 60", Duration::from_millis(100));
        let started = Instant::now();
        let got = pool.extract(Path::new("plan.pdf"));
        let took = started.elapsed();
        assert_eq!(got.status, Status::Timeout, "{}", got.message);
        assert!(
            got.message.contains("worker was stopped"),
            "{}",
            got.message
        );
        assert!(
            took >= GRACE,
            "killed after {took:?}, before the grace period"
        );
        assert!(took < GRACE + Duration::from_secs(10), "took {took:?}");
    }

    #[test]
    fn unreadable_answer_is_an_error_row() {
        let pool = shell_pool(
            "read line; echo onzin; cat >/dev/null",
            Duration::from_secs(5),
        );
        let got = pool.extract(Path::new("plan.pdf"));
        assert_eq!(got.status, Status::Error);
        assert!(
            got.message
                .starts_with("the worker sent an unreadable answer")
        );
    }

    #[test]
    fn worker_that_cannot_start_is_an_error_row() {
        let pool = Pool::with_command("/geen/borging", ["__worker"], Options::default());
        let got = pool.extract(Path::new("plan.pdf"));
        assert_eq!(got.status, Status::Error);
        assert!(got.message.starts_with("cannot start a worker process"));
    }

    #[test]
    fn serve_answers_each_request_with_one_line() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        // A file name that is not UTF-8 must survive the trip.
        let name = std::ffi::OsStr::from_bytes(b"plan-\xff.txt");
        let file = dir.path().join(name);
        std::fs::write(&file, "Het plan wordt jaarlijks geevalueerd.").unwrap();
        let mut requests = String::new();
        for path in [file.clone(), dir.path().join("weg.txt")] {
            let request = Request {
                path: path_to_bytes(&path),
                options: Options::default(),
            };
            requests.push_str(&serde_json::to_string(&request).unwrap());
            requests.push('\n');
        }
        let mut output = Vec::new();
        serve(requests.as_bytes(), &mut output).unwrap();
        let answers: Vec<Extraction> = String::from_utf8(output)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(answers.len(), 2);
        assert_eq!(answers[0].status, Status::Ok);
        assert_eq!(
            answers[0].pages[0].text,
            "Het plan wordt jaarlijks geevalueerd."
        );
        assert_eq!(answers[1].status, Status::Error);
        assert!(
            answers[1].message.contains("not found"),
            "{}",
            answers[1].message
        );
    }
}
