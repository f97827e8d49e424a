//! A tiny HTTP server on 127.0.0.1 that answers AWS Query-protocol (IAM,
//! STS) and JSON-protocol (Organizations) calls from a handler: recorded
//! pages, throttling, refusals, silence. Stopped when dropped.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// One call as the server saw it.
#[derive(Debug, Clone)]
pub struct Request {
    /// `GetCallerIdentity`, `AssumeRole`, `DescribeOrganization`, …
    pub action: String,
    /// The form parameters (Query protocol), percent-decoded.
    pub params: HashMap<String, String>,
    /// Every header, lowercase names.
    pub headers: HashMap<String, String>,
}

/// What to answer.
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
    /// Wait this long before answering (an endpoint that hangs).
    pub delay: Option<Duration>,
}

impl Response {
    pub fn xml(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            content_type: "text/xml",
            body: body.into(),
            delay: None,
        }
    }

    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            content_type: "application/x-amz-json-1.1",
            body: body.into(),
            delay: None,
        }
    }

    /// A Query-protocol error (`<ErrorResponse>`).
    pub fn query_error(status: u16, code: &str, message: &str) -> Self {
        Self::xml(
            status,
            format!(
                "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>fixture</RequestId></ErrorResponse>"
            ),
        )
    }
}

type Handler = dyn Fn(&Request) -> Response + Send + Sync;

/// The running server.
pub struct Fixture {
    pub url: String,
    pub log: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
    port: u16,
    thread: Option<JoinHandle<()>>,
}

impl Fixture {
    pub fn start(handler: impl Fn(&Request) -> Response + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let log = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let thread = {
            let stop = stop.clone();
            let log = log.clone();
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let handler = handler.clone();
                    let log = log.clone();
                    std::thread::spawn(move || serve(stream, &*handler, &log));
                }
            })
        };
        Self {
            url: format!("http://127.0.0.1:{port}"),
            log,
            stop,
            port,
            thread: Some(thread),
        }
    }

    /// How many calls of `action` were made.
    pub fn count(&self, action: &str) -> usize {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.action == action)
            .count()
    }

    pub fn requests(&self, action: &str) -> Vec<Request> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.action == action)
            .cloned()
            .collect()
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(stream: TcpStream, handler: &Handler, log: &Mutex<Vec<Request>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    // Keep-alive: answer requests on this connection until it closes.
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut headers = HashMap::new();
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
            }
        }
        let body = if headers
            .get("transfer-encoding")
            .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
        {
            read_chunked(&mut reader)
        } else {
            let length: usize = headers
                .get("content-length")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
            body
        };
        let body = String::from_utf8_lossy(&body).into_owned();
        let params = parse_form(&body);
        let action = match headers.get("x-amz-target") {
            Some(target) => target.rsplit('.').next().unwrap_or_default().to_owned(),
            None => params.get("Action").cloned().unwrap_or_default(),
        };
        let request = Request {
            action,
            params,
            headers,
        };
        log.lock().unwrap().push(request.clone());
        let response = handler(&request);
        if let Some(delay) = response.delay {
            std::thread::sleep(delay);
        }
        let text = format!(
            "HTTP/1.1 {} Fixture\r\nContent-Type: {}\r\nContent-Length: {}\r\nx-amzn-RequestId: fixture\r\n\r\n{}",
            response.status,
            response.content_type,
            response.body.len(),
            response.body
        );
        if writer.write_all(text.as_bytes()).is_err() {
            return;
        }
    }
}

fn read_chunked(reader: &mut impl BufRead) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let mut size = String::new();
        if reader.read_line(&mut size).unwrap_or(0) == 0 {
            return body;
        }
        let size =
            usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16).unwrap_or(0);
        let mut chunk = vec![0; size + 2];
        if reader.read_exact(&mut chunk).is_err() || size == 0 {
            return body;
        }
        body.extend_from_slice(&chunk[..size]);
    }
}

fn parse_form(body: &str) -> HashMap<String, String> {
    body.split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
