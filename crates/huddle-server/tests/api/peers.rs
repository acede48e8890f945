//! The independent peers tests talk to (tests/peers/*.py, in the venv scripts/test-peers.sh
//! makes): starting them, and reading what they received.

use std::time::Duration;

use serde_json::Value;

use crate::helpers::server_certificate;
use crate::push::peer;

/// A peer process started by the test (tests/peers/*.py): ready once it prints "ready",
/// stopped when dropped.
pub struct Peer(std::process::Child);

impl Peer {
    pub fn start(script: &str, args: &[&str]) -> Peer {
        use std::io::BufRead;
        peer(&["keys"]); // makes sure the venv exists
        let mut child = std::process::Command::new(crate::push::PYTHON)
            .arg(script)
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "{script} did not start");
        Peer(child)
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The JSON lines a peer wrote, once there are at least `n` (waits up to 15 s).
pub async fn lines_of(file: &std::path::Path, n: usize) -> Vec<Value> {
    lines_where(file, n, |_| true).await
}

/// The JSON lines a peer wrote that `keep` accepts, once there are at least `n` (waits up
/// to 15 s).
pub async fn lines_where(
    file: &std::path::Path,
    n: usize,
    keep: impl Fn(&Value) -> bool,
) -> Vec<Value> {
    for _ in 0..150 {
        let lines = lines_now(file, &keep);
        if lines.len() >= n {
            return lines;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "{} got fewer than {n} deliveries: {:?}",
        file.display(),
        lines_now(file, &keep)
    );
}

/// The JSON lines a peer wrote so far that `keep` accepts.
pub fn lines_now(file: &std::path::Path, keep: impl Fn(&Value) -> bool) -> Vec<Value> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| keep(v))
        .collect()
}

/// A real SMTP server (aiosmtpd, STARTTLS required) on a free port: the peer, its port,
/// the certificate to trust, and the file it writes each message to.
pub fn smtp_server(name: &str) -> (Peer, u16, std::path::PathBuf, std::path::PathBuf) {
    let (cert, key) = server_certificate(name).expect("openssl makes a certificate");
    let port = free_port();
    let inbox = cert.with_file_name("mail.jsonl");
    let peer = Peer::start(
        "tests/peers/smtp_server.py",
        &[
            &port.to_string(),
            cert.to_str().unwrap(),
            key.to_str().unwrap(),
            inbox.to_str().unwrap(),
        ],
    );
    (peer, port, cert, inbox)
}
