//! A fake Discord for end-to-end tests and the benchmark: a REST server and a
//! WebSocket gateway on 127.0.0.1:0 that the real serenity client talks to
//! through `DISCORD_API_BASE`. Every REST request is recorded with its JSON
//! body; responses can be injected (429, 500, ...); the gateway can be dropped
//! and accepts RESUME. Payloads follow `shared/reference/discord-wire.md`.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use backbot::discord::config::{Limits, RetryPolicy};
use backbot::discord::{Config, Metrics, Token};
use backbot::Engine;
use futures_util::{SinkExt, StreamExt};
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message as Ws;

pub const BOT: u64 = 1_000_000_000_000_000_001;
pub const USER: u64 = 1_000_000_000_000_000_002;
pub const GUILD: u64 = 1_000_000_000_000_000_003;
pub const GENERAL: u64 = 1_000_000_000_000_000_004;
pub const ALERTS: u64 = 1_000_000_000_000_000_005;
pub const LISTEN: u64 = 1_000_000_000_000_000_006;
pub const DM: u64 = 1_000_000_000_000_000_007;
pub const OTHER_BOT: u64 = 1_000_000_000_000_000_008;
/// `permissions` of an admin (Manage Server included) and of a plain member.
pub const ADMIN_PERMS: &str = "2248473465835105";
pub const MEMBER_PERMS: &str = "104324673";
pub const MESSAGE_CONTENT_INTENT: u64 = 1 << 15;

/// A recorded REST request.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub body: Value,
    pub at: Instant,
}

/// A canned response for an injected failure.
#[derive(Debug, Clone)]
pub struct Canned {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Canned {
    pub fn status(status: u16) -> Canned {
        Canned {
            status,
            headers: Vec::new(),
            body: format!(r#"{{"code":0,"message":"injected {status}"}}"#),
        }
    }

    /// A per-route 429 as Discord sends it.
    pub fn rate_limited(secs: f64) -> Canned {
        Canned {
            status: 429,
            headers: vec![
                ("retry-after".into(), secs.to_string()),
                ("x-ratelimit-limit".into(), "5".into()),
                ("x-ratelimit-remaining".into(), "0".into()),
                ("x-ratelimit-reset-after".into(), secs.to_string()),
                ("x-ratelimit-bucket".into(), "fakebucket".into()),
                ("x-ratelimit-scope".into(), "user".into()),
            ],
            body: format!(
                r#"{{"message":"You are being rate limited.","retry_after":{secs},"global":false}}"#
            ),
        }
    }
}

enum WsCmd {
    Text(String),
    Drop,
}

#[derive(Default)]
struct Inner {
    requests: Vec<Recorded>,
    injections: Vec<(String, String, VecDeque<Canned>)>,
    gateway: Option<mpsc::UnboundedSender<WsCmd>>,
    seq: u64,
    identifies: Vec<Value>,
    resumes: usize,
    connections: usize,
    refuse_content_intent: bool,
    echo_own_messages: bool,
    lean: bool,
}

/// The fake Discord.
#[derive(Clone)]
pub struct Fake {
    pub http_url: String,
    pub ws_url: String,
    inner: Arc<Mutex<Inner>>,
    ids: Arc<AtomicU64>,
    posted: Arc<AtomicU64>,
}

impl Fake {
    /// Starts the REST server and the gateway on loopback.
    pub async fn start() -> Fake {
        let rest = TcpListener::bind("127.0.0.1:0").await.expect("bind rest");
        let gw = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind gateway");
        let rest_addr: SocketAddr = rest.local_addr().expect("addr");
        let gw_addr: SocketAddr = gw.local_addr().expect("addr");
        let fake = Fake {
            http_url: format!("http://{rest_addr}"),
            ws_url: format!("ws://{gw_addr}"),
            inner: Arc::new(Mutex::new(Inner {
                echo_own_messages: true,
                ..Inner::default()
            })),
            ids: Arc::new(AtomicU64::new(1_200_000_000_000_000_000)),
            posted: Arc::new(AtomicU64::new(0)),
        };
        let f = fake.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = rest.accept().await {
                let f = f.clone();
                tokio::spawn(async move {
                    let io = hyper_util::rt::TokioIo::new(stream);
                    let svc = hyper::service::service_fn(move |req| {
                        let f = f.clone();
                        async move { Ok::<_, Infallible>(f.handle_rest(req).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, svc)
                        .await;
                });
            }
        });
        let f = fake.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = gw.accept().await {
                let f = f.clone();
                tokio::spawn(async move { f.gateway_connection(stream).await });
            }
        });
        fake
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        match self.inner.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    fn next_id(&self) -> u64 {
        self.ids.fetch_add(1, Ordering::Relaxed)
    }

    /// Queues responses for the next requests whose method matches and whose path contains `path`.
    pub fn inject(&self, method: &str, path: &str, responses: Vec<Canned>) {
        self.lock()
            .injections
            .push((method.into(), path.into(), responses.into()));
    }

    /// Closes the gateway with 4014 when IDENTIFY asks for message content.
    pub fn refuse_content_intent(&self, refuse: bool) {
        self.lock().refuse_content_intent = refuse;
    }

    /// Whether messages the bot sends come back as MESSAGE_CREATE (as on real Discord).
    pub fn echo_own_messages(&self, echo: bool) {
        self.lock().echo_own_messages = echo;
    }

    /// Records only `message_reference` of request bodies (keeps the benchmark's memory flat).
    pub fn lean_recording(&self, lean: bool) {
        self.lock().lean = lean;
    }

    /// Every REST request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.lock().requests.clone()
    }

    /// Requests with this method whose path contains `path`.
    pub fn calls(&self, method: &str, path: &str) -> Vec<Recorded> {
        self.lock()
            .requests
            .iter()
            .filter(|r| r.method == method && r.path.contains(path))
            .cloned()
            .collect()
    }

    /// Messages posted to a channel.
    pub fn posts(&self, channel: u64) -> Vec<Recorded> {
        self.calls("POST", &format!("/channels/{channel}/messages"))
    }

    /// How many messages were posted successfully (cheap: for the benchmark).
    pub fn posted(&self) -> usize {
        self.posted.load(Ordering::Relaxed) as usize
    }

    /// Interaction callbacks.
    pub fn callbacks(&self) -> Vec<Recorded> {
        self.calls("POST", "/callback")
    }

    pub fn identifies(&self) -> Vec<Value> {
        self.lock().identifies.clone()
    }

    pub fn resumes(&self) -> usize {
        self.lock().resumes
    }

    pub fn connections(&self) -> usize {
        self.lock().connections
    }

    /// Sends a dispatch on the current gateway connection.
    pub fn dispatch(&self, t: &str, d: Value) {
        let mut inner = self.lock();
        inner.seq += 1;
        let frame = json!({"op": 0, "s": inner.seq, "t": t, "d": d}).to_string();
        if let Some(tx) = &inner.gateway {
            let _ = tx.send(WsCmd::Text(frame));
        }
    }

    /// Drops the gateway TCP connection without a close frame.
    pub fn drop_gateway(&self) {
        if let Some(tx) = self.lock().gateway.take() {
            let _ = tx.send(WsCmd::Drop);
        }
    }

    /// Sends a MESSAGE_CREATE and returns its id.
    pub fn send_message(
        &self,
        channel: u64,
        guild: Option<u64>,
        content: &str,
        mentions: &[u64],
    ) -> u64 {
        let id = self.next_id();
        self.dispatch(
            "MESSAGE_CREATE",
            message(id, channel, guild, USER, "alice", false, content, mentions),
        );
        id
    }

    /// Sends a slash command INTERACTION_CREATE in the guild; returns its id.
    pub fn send_slash(&self, name: &str, options: Value, perms: &str) -> u64 {
        let id = self.next_id();
        self.dispatch("INTERACTION_CREATE", slash(id, name, options, Some(perms)));
        id
    }

    /// Polls until `cond` holds (panics after 10 s with `what`).
    pub async fn wait(&self, what: &str, cond: impl Fn(&Fake) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !cond(self) {
            if Instant::now() > deadline {
                panic!(
                    "timed out waiting for {what}; requests: {:#?}",
                    self.requests()
                        .iter()
                        .map(|r| format!("{} {} {}", r.method, r.path, r.body))
                        .collect::<Vec<_>>()
                );
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    async fn handle_rest(&self, req: Request<Incoming>) -> Response<Full<Bytes>> {
        let method = req.method().as_str().to_string();
        let path = req.uri().path().to_string();
        let bytes = match req.into_body().collect().await {
            Ok(b) => b.to_bytes(),
            Err(_) => Bytes::new(),
        };
        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        let injected = {
            let mut inner = self.lock();
            let kept = if inner.lean {
                json!({"message_reference": body.get("message_reference")})
            } else {
                body.clone()
            };
            inner.requests.push(Recorded {
                method: method.clone(),
                path: path.clone(),
                body: kept,
                at: Instant::now(),
            });
            inner
                .injections
                .iter_mut()
                .find(|(m, p, q)| *m == method && path.contains(p.as_str()) && !q.is_empty())
                .and_then(|(_, _, q)| q.pop_front())
        };
        if let Some(c) = injected {
            let mut b = Response::builder()
                .status(c.status)
                .header("content-type", "application/json");
            for (k, v) in &c.headers {
                b = b.header(k, v);
            }
            return b.body(Full::new(Bytes::from(c.body))).expect("response");
        }
        let ok = |v: Value| {
            Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .header("x-ratelimit-limit", "5")
                .header("x-ratelimit-remaining", "4")
                .header("x-ratelimit-reset-after", "1")
                .body(Full::new(Bytes::from(v.to_string())))
                .expect("response")
        };
        let segs: Vec<&str> = path.trim_start_matches("/api/v10/").split('/').collect();
        match (method.as_str(), segs.as_slice()) {
            ("GET", ["gateway"]) => ok(json!({"url": self.ws_url})),
            ("GET", ["gateway", "bot"]) => ok(json!({"url": self.ws_url, "shards": 1,
                "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1}})),
            ("GET", ["users", "@me"]) => {
                ok(json!({"id": BOT.to_string(), "username": "backbot", "bot": true}))
            }
            ("PUT", ["applications", app, "commands"])
            | ("PUT", ["applications", app, "guilds", _, "commands"]) => {
                let app = app.to_string();
                let cmds: Vec<Value> = body
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|c| {
                        json!({"id": self.next_id().to_string(), "type": 1, "application_id": app,
                            "name": c["name"], "description": c["description"], "version": "1",
                            "options": c.get("options").cloned().unwrap_or(json!([]))})
                    })
                    .collect();
                ok(Value::Array(cmds))
            }
            ("POST", ["channels", channel, "messages"]) => {
                let channel: u64 = channel.parse().unwrap_or(1);
                let id = self.next_id();
                let mut m = message(
                    id,
                    channel,
                    None,
                    BOT,
                    "backbot",
                    true,
                    body["content"].as_str().unwrap_or(""),
                    &[],
                );
                m["embeds"] = body.get("embeds").cloned().unwrap_or(json!([]));
                if let Some(n) = body.get("nonce") {
                    m["nonce"] = n.clone();
                }
                self.posted.fetch_add(1, Ordering::Relaxed);
                let echo = self.lock().echo_own_messages;
                if echo {
                    let mut d = m.clone();
                    if channel != DM {
                        d["guild_id"] = json!(GUILD.to_string());
                    }
                    self.dispatch("MESSAGE_CREATE", d);
                }
                ok(m)
            }
            ("POST", ["users", "@me", "channels"]) => {
                // Opening a DM: USER's is DM; anyone else's is their id + 1.
                let recipient: u64 = body["recipient_id"]
                    .as_str()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(USER);
                let id = if recipient == USER {
                    DM
                } else {
                    recipient.wrapping_add(1)
                };
                ok(
                    json!({"id": id.to_string(), "type": 1, "last_message_id": null,
                    "recipients": [{"id": recipient.to_string(), "username": "someone", "discriminator": "0", "avatar": null}]}),
                )
            }
            ("POST", ["interactions", _, _, "callback"]) => Response::builder()
                .status(204)
                .body(Full::new(Bytes::new()))
                .expect("response"),
            _ => Response::builder()
                .status(404)
                .header("content-type", "application/json")
                .body(Full::new(Bytes::from(
                    r#"{"code":0,"message":"404: Not Found"}"#,
                )))
                .expect("response"),
        }
    }

    async fn gateway_connection(&self, stream: tokio::net::TcpStream) {
        let Ok(ws) = tokio_tungstenite::accept_async(stream).await else {
            return;
        };
        let (mut sink, mut source) = ws.split();
        let (tx, mut rx) = mpsc::unbounded_channel();
        {
            let mut inner = self.lock();
            inner.connections += 1;
            inner.gateway = Some(tx.clone());
        }
        let hello = json!({"op": 10, "d": {"heartbeat_interval": 41250}}).to_string();
        if sink.send(Ws::Text(hello)).await.is_err() {
            return;
        }
        loop {
            tokio::select! {
                cmd = rx.recv() => match cmd {
                    Some(WsCmd::Text(t)) => {
                        if sink.send(Ws::Text(t)).await.is_err() {
                            break;
                        }
                    }
                    Some(WsCmd::Drop) | None => break,
                },
                frame = source.next() => {
                    let Some(Ok(frame)) = frame else { break };
                    let text = match frame {
                        Ws::Text(t) => t,
                        Ws::Close(_) => break,
                        _ => continue,
                    };
                    let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                    match v["op"].as_u64() {
                        Some(1) => {
                            let _ = tx.send(WsCmd::Text(json!({"op": 11}).to_string()));
                        }
                        Some(2) => {
                            let intents = v["d"]["intents"].as_u64().unwrap_or(0);
                            let refuse = {
                                let mut inner = self.lock();
                                inner.identifies.push(v["d"].clone());
                                inner.refuse_content_intent && intents & MESSAGE_CONTENT_INTENT != 0
                            };
                            if refuse {
                                let _ = sink
                                    .send(Ws::Close(Some(CloseFrame {
                                        code: CloseCode::from(4014),
                                        reason: "Disallowed intent(s).".into(),
                                    })))
                                    .await;
                                break;
                            }
                            self.dispatch("READY", ready(&self.ws_url));
                            self.dispatch("GUILD_CREATE", guild_create());
                        }
                        Some(6) => {
                            self.lock().resumes += 1;
                            self.dispatch("RESUMED", json!({}));
                        }
                        _ => {}
                    }
                }
            }
        }
        let mut inner = self.lock();
        if inner.gateway.as_ref().is_some_and(|g| g.same_channel(&tx)) {
            inner.gateway = None;
        }
    }
}

pub fn ready(ws_url: &str) -> Value {
    json!({"v": 10,
        "user": {"id": BOT.to_string(), "username": "backbot", "discriminator": "0", "global_name": null, "avatar": null, "bot": true},
        "guilds": [{"id": GUILD.to_string(), "unavailable": true}],
        "session_id": "sess-1", "resume_gateway_url": ws_url, "shard": [0, 1],
        "application": {"id": BOT.to_string(), "flags": 0}})
}

pub fn guild_create() -> Value {
    let channel = |id: u64, name: &str| {
        json!({"id": id.to_string(), "type": 0, "name": name, "position": 0, "permission_overwrites": [],
            "nsfw": false, "parent_id": null, "last_message_id": null, "topic": null, "rate_limit_per_user": 0})
    };
    json!({"id": GUILD.to_string(), "name": "testguild", "icon": null, "splash": null, "discovery_splash": null,
        "owner_id": USER.to_string(), "afk_channel_id": null, "afk_timeout": 300,
        "verification_level": 0, "default_message_notifications": 0, "explicit_content_filter": 0, "mfa_level": 0,
        "system_channel_id": null, "system_channel_flags": 0, "rules_channel_id": null, "vanity_url_code": null,
        "description": null, "banner": null, "premium_tier": 0, "preferred_locale": "en-US",
        "public_updates_channel_id": null, "nsfw_level": 0, "premium_progress_bar_enabled": false,
        "features": [], "emojis": [], "stickers": [],
        "roles": [{"id": GUILD.to_string(), "name": "@everyone", "color": 0,
            "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
            "hoist": false, "icon": null, "unicode_emoji": null, "position": 0, "permissions": ADMIN_PERMS,
            "managed": false, "mentionable": false, "flags": 0}],
        "joined_at": "2024-01-01T00:00:00.000000+00:00", "large": false, "unavailable": false, "member_count": 2,
        "members": [{"user": {"id": BOT.to_string(), "username": "backbot", "bot": true}, "roles": [],
            "joined_at": "2024-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false, "flags": 0}],
        "channels": [channel(GENERAL, "general"), channel(ALERTS, "mod-alerts"), channel(LISTEN, "back-help")],
        "threads": [], "presences": [], "voice_states": [], "stage_instances": [], "guild_scheduled_events": []})
}

/// A Message object (gateway MESSAGE_CREATE `d`, or REST response).
#[allow(clippy::too_many_arguments)]
pub fn message(
    id: u64,
    channel: u64,
    guild: Option<u64>,
    author: u64,
    name: &str,
    bot: bool,
    content: &str,
    mentions: &[u64],
) -> Value {
    let mut m = json!({"id": id.to_string(), "channel_id": channel.to_string(),
        "author": {"id": author.to_string(), "username": name, "discriminator": "0", "global_name": null, "avatar": null, "bot": bot},
        "content": content, "timestamp": "2024-01-01T00:00:00.000000+00:00", "edited_timestamp": null, "tts": false,
        "mention_everyone": content.contains("@everyone"),
        "mentions": mentions.iter().map(|u| json!({"id": u.to_string(), "username": if *u == BOT { "backbot" } else { "someone" }, "bot": *u == BOT})).collect::<Vec<_>>(),
        "mention_roles": [], "attachments": [], "embeds": [], "components": [],
        "pinned": false, "type": 0, "flags": 0});
    if let Some(g) = guild {
        m["guild_id"] = json!(g.to_string());
        m["member"] = json!({"roles": [], "joined_at": "2024-01-01T00:00:00+00:00", "deaf": false, "mute": false, "flags": 0});
    }
    m
}

/// A slash command interaction; `perms: None` = a DM.
pub fn slash(id: u64, name: &str, options: Value, perms: Option<&str>) -> Value {
    let mut d = json!({"id": id.to_string(), "application_id": BOT.to_string(), "type": 2,
        "data": {"id": "1100000000000000001", "name": name, "type": 1, "options": options},
        "channel_id": GENERAL.to_string(), "token": format!("tok-{id}"), "version": 1,
        "locale": "en-US", "entitlements": [], "attachment_size_limit": 26214400});
    match perms {
        Some(p) => {
            d["guild_id"] = json!(GUILD.to_string());
            d["guild_locale"] = json!("en-US");
            d["app_permissions"] = json!(ADMIN_PERMS);
            d["member"] = json!({"user": {"id": USER.to_string(), "username": "alice", "bot": false}, "roles": [],
                "joined_at": "2024-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false, "flags": 0, "permissions": p});
        }
        None => {
            d["channel_id"] = json!(DM.to_string());
            d["user"] = json!({"id": USER.to_string(), "username": "alice"});
        }
    }
    d
}

/// The project's content (or `BACKBOT_CONTENT`'s), loaded once per binary.
pub fn engine() -> Arc<Engine> {
    static ENGINE: OnceLock<Arc<Engine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let root = std::env::var_os("BACKBOT_CONTENT")
                .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
            match Engine::load(&root) {
                Ok(e) => Arc::new(e),
                Err(e) => panic!("the project's content does not load:\n{e}"),
            }
        })
        .clone()
}

/// Logs to the test output when RUST_LOG is set.
pub fn init_logs() {
    if std::env::var_os("RUST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_test_writer()
            .try_init();
    }
}

/// A running bot connected to a fake Discord.
pub struct Bot {
    pub metrics: Arc<Metrics>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<Result<(), backbot::discord::DiscordError>>>,
    pub db: tempfile::TempDir,
}

/// The configuration the tests use (fast retries).
pub fn config(fake: &Fake, db: &std::path::Path) -> Config {
    Config {
        token: Token::parse("MTAwMDAwMDAwMDAwMDAwMDAx.Gfake1.fakefakefakefakefakefake")
            .expect("token"),
        api_base: Some(fake.http_url.clone()),
        db: db.join("backbot.db"),
        dev_guild: None,
        http_addr: None,
        limits: Limits::default(),
        retry: RetryPolicy {
            attempts: 5,
            base: Duration::from_millis(50),
            max_wait: Duration::from_secs(5),
        },
    }
}

impl Bot {
    /// Starts the bot and waits until its commands are registered (it is then ready).
    pub async fn start(fake: &Fake) -> Bot {
        Bot::start_with(fake, |_| {}).await
    }

    pub async fn start_with(fake: &Fake, tweak: impl FnOnce(&mut Config)) -> Bot {
        init_logs();
        let db = tempfile::tempdir().expect("tempdir");
        let mut cfg = config(fake, db.path());
        tweak(&mut cfg);
        Bot::start_config(fake, cfg, db).await
    }

    pub async fn start_config(fake: &Fake, cfg: Config, db: tempfile::TempDir) -> Bot {
        Bot::start_clock(fake, cfg, db, Arc::new(backbot::reminders::SystemClock)).await
    }

    /// Starts the bot with the reminders driven by `clock` (a fake one in tests).
    pub async fn start_clock(
        fake: &Fake,
        cfg: Config,
        db: tempfile::TempDir,
        clock: Arc<dyn backbot::reminders::Clock>,
    ) -> Bot {
        let metrics = Arc::new(Metrics::default());
        let (stop, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(backbot::discord::run_with_clock(
            cfg,
            engine(),
            Arc::clone(&metrics),
            clock,
            async move {
                let _ = rx.await;
            },
        ));
        let bot = Bot {
            metrics,
            stop: Some(stop),
            task: Some(task),
            db,
        };
        fake.wait("slash command registration", |f| {
            !f.calls("PUT", "/commands").is_empty()
        })
        .await;
        let m = Arc::clone(&bot.metrics);
        fake.wait("gateway ready", move |_| m.is_ready()).await;
        bot
    }

    pub fn seen(&self) -> u64 {
        self.metrics.messages_seen.load(Ordering::Relaxed)
    }

    /// Stops the bot; returns how long shutdown took.
    pub async fn stop(mut self) -> Duration {
        let t = Instant::now();
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(task) = self.task.take() {
            let r = tokio::time::timeout(Duration::from_secs(10), task).await;
            let r = r
                .expect("bot stops within 10 s")
                .expect("bot task does not panic");
            r.expect("bot stops without error");
        }
        t.elapsed()
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

/// The first embed of a recorded message or interaction callback.
pub fn embed(r: &Recorded) -> Value {
    let b = &r.body;
    if b.get("type").is_some() && b.get("data").is_some() {
        b["data"]["embeds"][0].clone()
    } else {
        b["embeds"][0].clone()
    }
}

/// All the text of an embed, for `contains` checks.
pub fn embed_text(r: &Recorded) -> String {
    let e = embed(r);
    format!(
        "{}\n{}\n{}\n{}",
        e["title"].as_str().unwrap_or(""),
        e["description"].as_str().unwrap_or(""),
        e["fields"],
        e["footer"]["text"].as_str().unwrap_or("")
    )
}
