//! End-to-end: gateway drops, rate limits and server errors, the missing
//! message-content intent, the health endpoint and shutdown.

mod support;

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Everything every test of this binary logs (one global subscriber, DEBUG).
fn logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&buf);
        let _ = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || LogSink(Arc::clone(&sink)))
            .try_init();
        buf
    })
    .clone()
}

struct LogSink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogSink {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut v) = self.0.lock() {
            v.extend_from_slice(b);
        }
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn logged() -> String {
    let buf = logs();
    let text = buf.lock().map(|v| String::from_utf8_lossy(&v).into_owned());
    text.unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gateway_drop_resumes_and_still_answers() {
    let fake = Fake::start().await;
    let bot = Bot::start(&fake).await;
    fake.send_message(DM, None, "how do I crack my lower back", &[]);
    fake.wait("first reply", |f| f.posts(DM).len() == 1).await;
    fake.drop_gateway();
    fake.wait("RESUME", |f| f.resumes() == 1).await;
    let m = bot.metrics.clone();
    fake.wait("ready again", move |_| m.is_ready()).await;
    fake.send_message(DM, None, "how do I crack my lower back", &[]);
    fake.wait("reply after resume", |f| f.posts(DM).len() == 2)
        .await;
    assert_eq!(fake.identifies().len(), 1, "resumed, not re-identified");
    assert_eq!(fake.connections(), 2);
    assert!(bot.metrics.gateway_reconnects.load(Ordering::Relaxed) >= 1);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_then_server_error_then_success_replies_exactly_once() {
    let fake = Fake::start().await;
    let bot = Bot::start(&fake).await;
    fake.inject(
        "POST",
        &format!("/channels/{DM}/messages"),
        vec![Canned::rate_limited(0.3), Canned::status(500)],
    );
    let t = Instant::now();
    fake.send_message(DM, None, "how do I crack my lower back", &[]);
    fake.wait("three attempts", |f| f.posts(DM).len() == 3)
        .await;
    let m = bot.metrics.clone();
    fake.wait("reply counted", move |_| {
        m.replies(backbot::ReplyKind::Answer) == 1
    })
    .await;
    assert!(
        t.elapsed() >= Duration::from_millis(300),
        "retry-after honoured"
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    let posts = fake.posts(DM);
    assert_eq!(posts.len(), 3, "429, 500, then 200: nothing more");
    let nonce = &posts[0].body["nonce"];
    assert!(nonce.is_string());
    for p in &posts {
        assert_eq!(&p.body["nonce"], nonce, "the same nonce on every attempt");
        assert_eq!(p.body["enforce_nonce"], serde_json::json!(true));
    }
    assert!(posts[1].at.duration_since(posts[0].at) >= Duration::from_millis(300));
    assert_eq!(bot.metrics.rate_limits.load(Ordering::Relaxed), 1);
    assert_eq!(bot.metrics.replies(backbot::ReplyKind::Answer), 1);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_errors_are_not_retried_and_the_bot_goes_on() {
    let fake = Fake::start().await;
    let bot = Bot::start(&fake).await;
    fake.inject(
        "POST",
        &format!("/channels/{DM}/messages"),
        vec![Canned::status(403)],
    );
    fake.send_message(DM, None, "how do I crack my lower back", &[]);
    let m = bot.metrics.clone();
    fake.wait("the 403 counted", move |_| {
        m.rest_errors.load(Ordering::Relaxed) == 1
    })
    .await;
    fake.send_message(DM, None, "how do I crack my lower back", &[]);
    fake.wait("the next reply", |f| f.posts(DM).len() == 2)
        .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(fake.posts(DM).len(), 2, "the 403 was not retried");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_message_content_intent_the_bot_reconnects_and_serves_dms() {
    let _ = logs();
    let fake = Fake::start().await;
    fake.refuse_content_intent(true);
    let bot = Bot::start(&fake).await;
    let ids = fake.identifies();
    assert_eq!(ids.len(), 2);
    assert_ne!(
        ids[0]["intents"].as_u64().unwrap_or(0) & MESSAGE_CONTENT_INTENT,
        0
    );
    assert_eq!(
        ids[1]["intents"].as_u64().unwrap_or(1) & MESSAGE_CONTENT_INTENT,
        0
    );
    fake.send_message(DM, None, "how do I crack my lower back", &[]);
    fake.wait("the DM reply", |f| f.posts(DM).len() == 1).await;
    bot.stop().await;
    let text = logged();
    assert_eq!(
        text.matches(backbot::discord::NO_CONTENT_INTENT).count(),
        1,
        "one clear log line with the fix:\n{text}"
    );
    assert!(
        !text.contains("Gfake1"),
        "the token never appears in the logs"
    );
}

async fn get(addr: std::net::SocketAddr, path: &str) -> String {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    s.write_all(format!("GET {path} HTTP/1.1\r\nhost: x\r\n\r\n").as_bytes())
        .await
        .expect("write");
    let mut out = String::new();
    s.read_to_string(&mut out).await.expect("read");
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_metrics_endpoint_and_quick_shutdown() {
    let fake = Fake::start().await;
    let addr = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr")
    };
    let bot = Bot::start_with(&fake, |c| c.http_addr = Some(addr)).await;
    fake.send_message(DM, None, "how do I crack my lower back", &[]);
    fake.wait("the DM reply", |f| f.posts(DM).len() == 1).await;
    let health = get(addr, "/healthz").await;
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let metrics = get(addr, "/metrics").await;
    assert!(
        metrics.contains("backbot_replies_total{kind=\"answer\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("backbot_messages_seen_total"));
    let took = bot.stop().await;
    assert!(took < Duration::from_secs(5), "shutdown took {took:?}");
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err()
            || get(addr, "/healthz").await.is_empty()
    );
}
