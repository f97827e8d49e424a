//! A `moto_server` on a free port of 127.0.0.1, killed when dropped.

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The moto version `.ci/run` installs (`moto[server]==…`).
pub const MOTO_VERSION: &str = "5.2.5";

/// A running moto server.
pub struct Moto {
    child: Child,
    pub url: String,
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

impl Moto {
    /// Starts moto (`moto_server`, else `python3 -m moto.server`), or
    /// returns `None` when it is not installed: a failure under `CI=true`,
    /// where `.ci/run` installs it.
    pub fn start() -> Option<Self> {
        let mut tried = Vec::new();
        for (program, prefix) in [
            ("moto_server", &[][..]),
            ("python3", &["-m", "moto.server"][..]),
        ] {
            match Self::start_with(program, prefix) {
                Ok(moto) => return Some(moto),
                Err(why) => tried.push(format!("`{program}`: {why}")),
            }
        }
        let message = format!(
            "moto cannot be started ({}); install it with `pip install 'moto[server]=={MOTO_VERSION}'`",
            tried.join("; ")
        );
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{message}");
        }
        eprintln!("\n*** SKIPPED: {message} ***\n");
        None
    }

    fn start_with(program: &str, prefix: &[&str]) -> Result<Self, String> {
        let port = free_port();
        let child = Command::new(program)
            .args(prefix)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| e.to_string())?;
        // Dropped on every early return below: the process is killed.
        let mut moto = Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let start = Instant::now();
        while TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_err() {
            if let Ok(Some(status)) = moto.child.try_wait() {
                return Err(format!("exited with {status}"));
            }
            if start.elapsed() > Duration::from_secs(60) {
                return Err(format!("did not listen on {address} within 60 s"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(moto)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
