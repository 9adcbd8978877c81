//! A small HTTP/1.1 server on std sockets, plain or TLS: enough for
//! WeChat's APIs, the browser shims and the fault injection that needs
//! control of the raw connection (resets, truncated bodies).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

const MAX_HEAD: usize = 16 * 1024;
const MAX_BODY: usize = 2 * 1024 * 1024;

/// A parsed request.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path without the query string.
    pub path: String,
    /// Path and query exactly as requested (what API v3 signs).
    pub target: String,
    /// Decoded query parameters.
    pub query: BTreeMap<String, String>,
    /// Header names in lower case.
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
    /// Whether it came over TLS.
    pub tls: bool,
    /// The client certificate presented over TLS (DER), already verified
    /// against the simulator's CA.
    pub client_cert: Option<Vec<u8>>,
}

/// A connection the server can answer on: plain TCP or TLS over TCP.
trait Conn: Read + Write {
    fn tcp(&self) -> &TcpStream;
    fn tls(&self) -> bool;
    fn client_cert(&self) -> Option<Vec<u8>>;
    /// Called when reading failed: lets a TLS alert reach the client.
    fn close_after_error(&mut self) {}
}

impl Conn for TcpStream {
    fn tcp(&self) -> &TcpStream {
        self
    }
    fn tls(&self) -> bool {
        false
    }
    fn client_cert(&self) -> Option<Vec<u8>> {
        None
    }
}

impl Conn for rustls::StreamOwned<rustls::ServerConnection, TcpStream> {
    fn tcp(&self) -> &TcpStream {
        &self.sock
    }
    fn tls(&self) -> bool {
        true
    }
    fn client_cert(&self) -> Option<Vec<u8>> {
        self.conn
            .peer_certificates()
            .and_then(|chain| chain.first())
            .map(|c| c.to_vec())
    }

    fn close_after_error(&mut self) {
        // rustls has written its alert (e.g. a refused certificate). Closing
        // with the client's request still unread would send a TCP reset that
        // can overtake the alert, so the client would only see "connection
        // reset"; half-close and drain briefly instead.
        let _ = self.sock.shutdown(std::net::Shutdown::Write);
        let _ = self.sock.set_read_timeout(Some(Duration::from_millis(500)));
        let mut sink = [0u8; 4096];
        let mut drained = 0;
        while drained < 256 * 1024 {
            match self.sock.read(&mut sink) {
                Ok(0) | Err(_) => break,
                Ok(n) => drained += n,
            }
        }
    }
}

/// What to send back, and how.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Fault: close the connection with a TCP reset instead of answering.
    pub reset: bool,
    /// Fault: announce the full length but send only this many bytes.
    pub truncate_at: Option<usize>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Response {
            status,
            content_type: content_type.to_owned(),
            headers: Vec::new(),
            body: body.into(),
            reset: false,
            truncate_at: None,
        }
    }

    pub fn xml(body: impl Into<Vec<u8>>) -> Self {
        Response::new(200, "text/xml; charset=utf-8", body)
    }

    pub fn json(value: &serde_json::Value) -> Self {
        Response::new(200, "application/json; charset=utf-8", value.to_string())
    }

    /// JSON with another status (API v3's refusals).
    pub fn json_status(status: u16, value: &serde_json::Value) -> Self {
        Response::new(status, "application/json; charset=utf-8", value.to_string())
    }

    pub fn redirect(location: &str) -> Self {
        let mut r = Response::new(302, "text/plain; charset=utf-8", "redirecting");
        r.headers.push(("Location".into(), location.to_owned()));
        r
    }

    pub fn not_found() -> Self {
        Response::new(404, "text/plain; charset=utf-8", "not found")
    }

    fn reason(&self) -> &'static str {
        match self.status {
            200 => "OK",
            204 => "No Content",
            302 => "Found",
            400 => "Bad Request",
            404 => "Not Found",
            405 => "Method Not Allowed",
            411 => "Length Required",
            413 => "Payload Too Large",
            500 => "Internal Server Error",
            502 => "Bad Gateway",
            503 => "Service Unavailable",
            504 => "Gateway Timeout",
            _ => "Status",
        }
    }
}

pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn parse_query(q: &str) -> BTreeMap<String, String> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(p), String::new()),
        })
        .collect()
}

fn read_request<R: BufRead>(reader: &mut R) -> Option<Result<Request, Response>> {
    let mut head = Vec::new();
    loop {
        let mut line = Vec::new();
        let n = reader
            .by_ref()
            .take((MAX_HEAD + 1) as u64)
            .read_until(b'\n', &mut line)
            .ok()?;
        if n == 0 {
            return None;
        }
        head.extend_from_slice(&line);
        if head.len() > MAX_HEAD {
            return Some(Err(Response::new(413, "text/plain", "header too large")));
        }
        if line == b"\r\n" || line == b"\n" {
            break;
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.lines();
    let request_line = lines.next()?;
    let mut parts = request_line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = BTreeMap::new();
    for line in lines {
        if let Some((k, v)) = line.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
        }
    }
    if headers
        .get("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
    {
        return Some(Err(Response::new(411, "text/plain", "send Content-Length")));
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if length > MAX_BODY {
        return Some(Err(Response::new(413, "text/plain", "body too large")));
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).ok()?;
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), parse_query(q)),
        None => (target.clone(), BTreeMap::new()),
    };
    Some(Ok(Request {
        method,
        target: target.clone(),
        path,
        query,
        headers,
        body,
        tls: false,
        client_cert: None,
    }))
}

fn write_response<W: Write>(stream: &mut W, r: &Response, keep_alive: bool) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: {}\r\n\
         Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers: Content-Type\r\n\
         Access-Control-Allow-Methods: GET, POST, DELETE, OPTIONS\r\nCache-Control: no-store\r\n",
        r.status,
        r.reason(),
        r.content_type,
        r.body.len(),
        if keep_alive { "keep-alive" } else { "close" }
    );
    for (k, v) in &r.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    match r.truncate_at {
        Some(n) => stream.write_all(&r.body[..n.min(r.body.len())])?,
        None => stream.write_all(&r.body)?,
    }
    stream.flush()
}

/// Serves `handler` on `listener` until `stop` is set; one thread per
/// connection, keep-alive supported. With `tls`, every connection is HTTPS.
pub fn serve<H>(
    listener: TcpListener,
    stop: Arc<AtomicBool>,
    handler: Arc<H>,
    tls: Option<Arc<rustls::ServerConfig>>,
) where
    H: Fn(&Request) -> Response + Send + Sync + 'static,
{
    for conn in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = conn else { continue };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
        let _ = stream.set_nodelay(true);
        let handler = handler.clone();
        let stop = stop.clone();
        match &tls {
            None => {
                thread::spawn(move || handle_connection(stream, &*handler, &stop));
            }
            Some(config) => {
                let Ok(session) = rustls::ServerConnection::new(config.clone()) else {
                    continue;
                };
                let stream = rustls::StreamOwned::new(session, stream);
                thread::spawn(move || handle_connection(stream, &*handler, &stop));
            }
        }
    }
}

fn handle_connection<S: Conn, H: Fn(&Request) -> Response>(
    stream: S,
    handler: &H,
    stop: &AtomicBool,
) {
    let mut reader = BufReader::new(stream);
    while !stop.load(Ordering::SeqCst) {
        let mut request = match read_request(&mut reader) {
            None => {
                reader.get_mut().close_after_error();
                return;
            }
            Some(Err(response)) => {
                let _ = write_response(reader.get_mut(), &response, false);
                return;
            }
            Some(Ok(r)) => r,
        };
        request.tls = reader.get_ref().tls();
        request.client_cert = reader.get_ref().client_cert();
        let response = if request.method == "OPTIONS" {
            Response::new(204, "text/plain", "")
        } else {
            handler(&request)
        };
        if response.reset {
            let _ = socket2::SockRef::from(reader.get_ref().tcp()).set_linger(Some(Duration::ZERO));
            return;
        }
        let keep_alive = response.truncate_at.is_none()
            && !request
                .headers
                .get("connection")
                .is_some_and(|c| c.eq_ignore_ascii_case("close"));
        if write_response(reader.get_mut(), &response, keep_alive).is_err() || !keep_alive {
            return;
        }
    }
}
