//! The operations HTTP endpoint: `/healthz` (200 only while the gateway is
//! ready, else 503) and `/metrics` (Prometheus text). A minimal HTTP/1.1
//! responder on tokio: one request per connection, GET only.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::metrics::Metrics;

/// Binds `addr`; returns the bound address and the serving future (ends on `shutdown`).
pub async fn bind(
    addr: SocketAddr,
    metrics: Arc<Metrics>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<(SocketAddr, impl Future<Output = ()> + Send)> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let serve = async move {
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                _ = &mut shutdown => break,
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => {
                        let m = Arc::clone(&metrics);
                        tokio::spawn(async move {
                            let _ = tokio::time::timeout(Duration::from_secs(5), serve_one(stream, &m)).await;
                        });
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "health endpoint: accept failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                },
            }
        }
    };
    Ok((local, serve))
}

/// The status line, content type and body for a request line.
pub fn respond(request_line: &str, metrics: &Metrics) -> (&'static str, &'static str, String) {
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let path = parts.next().unwrap_or("");
    let path = path.split('?').next().unwrap_or("");
    match (method, path) {
        ("GET" | "HEAD", "/healthz") if metrics.is_ready() => {
            ("200 OK", "text/plain", "ok\n".into())
        }
        ("GET" | "HEAD", "/healthz") => (
            "503 Service Unavailable",
            "text/plain",
            "gateway not ready\n".into(),
        ),
        ("GET" | "HEAD", "/metrics") => ("200 OK", "text/plain; version=0.0.4", metrics.render()),
        ("GET" | "HEAD", _) => ("404 Not Found", "text/plain", "not found\n".into()),
        _ => ("405 Method Not Allowed", "text/plain", "GET only\n".into()),
    }
}

async fn serve_one(mut stream: TcpStream, metrics: &Metrics) -> std::io::Result<()> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 8192 {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8_lossy(&buf);
    let line = text.lines().next().unwrap_or("");
    let (status, ctype, body) = respond(line, metrics);
    let head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {ctype}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    if !line.starts_with("HEAD") {
        stream.write_all(body.as_bytes()).await?;
    }
    stream.shutdown().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn healthz_follows_readiness() {
        let m = Metrics::default();
        assert_eq!(
            respond("GET /healthz HTTP/1.1", &m).0,
            "503 Service Unavailable"
        );
        m.set_ready(true);
        assert_eq!(respond("GET /healthz HTTP/1.1", &m).0, "200 OK");
        assert!(respond("GET /metrics HTTP/1.1", &m)
            .2
            .contains("backbot_gateway_ready 1"));
        assert_eq!(respond("GET /nope HTTP/1.1", &m).0, "404 Not Found");
        assert_eq!(
            respond("POST /metrics HTTP/1.1", &m).0,
            "405 Method Not Allowed"
        );
        assert_eq!(respond("", &m).0, "405 Method Not Allowed");
    }

    #[tokio::test]
    async fn serves_over_tcp() {
        let m = Arc::new(Metrics::default());
        m.set_ready(true);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let (addr, serve) = bind("127.0.0.1:0".parse().unwrap(), m, async {
            let _ = rx.await;
        })
        .await
        .unwrap();
        let task = tokio::spawn(serve);
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
            .await
            .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        assert!(out.starts_with("HTTP/1.1 200 OK"), "{out}");
        let _ = tx.send(());
        task.await.unwrap();
    }
}
