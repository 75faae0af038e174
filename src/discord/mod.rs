//! The Discord adapter: a serenity client that feeds messages and slash
//! commands to the core engine and renders its replies as embeds. The decisions
//! live in pure functions ([`policy`], [`slash`]); this module wires the parts,
//! handles the privileged-intent fallback and shuts down on a signal.

pub mod config;
pub mod embed;
pub mod handler;
pub mod health;
pub mod metrics;
pub mod policy;
pub mod remind;
pub mod rest;
pub mod slash;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use serenity::all::{ClientBuilder, GatewayError, GatewayIntents, HttpBuilder};

use crate::engine::Engine;
use crate::reminders::{Clock, Reminders, SystemClock, CONSOLE_USER};
use crate::store::reminders::ReminderFilter;
use crate::store::{Store, StoreError};

pub use config::{Config, ConfigError, Token};
pub use handler::{App, Handler};
pub use metrics::Metrics;

/// How long shutdown may take before the process gives up waiting.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Why the Discord adapter stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum DiscordError {
    /// Bad configuration.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The database could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Discord refused the token.
    #[error("Discord refused the token (gateway close 4004): reset it in the developer portal and update DISCORD_TOKEN")]
    BadToken,
    /// The gateway stopped for another reason.
    #[error("gateway error: {0}")]
    Gateway(String),
    /// The health endpoint could not bind, or the runtime could not start.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The intents the bot asks for; message content is privileged.
pub fn intents(with_content: bool) -> GatewayIntents {
    let base =
        GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::DIRECT_MESSAGES;
    if with_content {
        base | GatewayIntents::MESSAGE_CONTENT
    } else {
        base
    }
}

/// The one log line for close code 4014.
pub const NO_CONTENT_INTENT: &str = "Discord refused the Message Content intent (close code 4014). Fix: Developer Portal > your application > Bot > Privileged Gateway Intents > enable MESSAGE CONTENT INTENT, then restart. Until then backbot serves DMs, mentions and slash commands only.";

/// Runs the bot until `shutdown` resolves (or the gateway fails for good).
pub async fn run(
    config: Config,
    engine: Arc<Engine>,
    metrics: Arc<Metrics>,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), DiscordError> {
    run_with_clock(config, engine, metrics, Arc::new(SystemClock), shutdown).await
}

/// [`run`] with the reminders' clock passed in (tests use a fake one).
pub async fn run_with_clock(
    config: Config,
    engine: Arc<Engine>,
    metrics: Arc<Metrics>,
    clock: Arc<dyn Clock>,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), DiscordError> {
    let store = Arc::new(Store::open(&config.db)?);
    let reminders = Arc::new(
        Reminders::load(Arc::clone(&store), ReminderFilter::AllBut(CONSOLE_USER))
            .map_err(|e| DiscordError::Gateway(format!("cannot load the reminders: {e}")))?,
    );
    let client = reqwest::Client::builder()
        .use_rustls_tls()
        .build()
        .map_err(|e| {
            DiscordError::Gateway(format!("cannot build the HTTP client: {}", e.without_url()))
        })?;
    let via_serenity = config.api_base.is_none();
    let rest = rest::Rest::new(
        client.clone(),
        via_serenity,
        config.retry,
        Arc::clone(&metrics),
    );
    let app = Arc::new(
        App::new(
            Arc::clone(&engine),
            Arc::clone(&store),
            rest,
            Arc::clone(&metrics),
            policy::Limiter::new(config.limits),
            config.dev_guild,
        )?
        .with_reminders(Arc::clone(&reminders), Arc::clone(&clock)),
    );

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    {
        // The reminder loop: its own Http (same token and base) and Rest.
        let mut hb = HttpBuilder::new(config.token.expose()).client(client.clone());
        if let Some(base) = &config.api_base {
            hb = hb.proxy(base.as_str()).ratelimiter_disabled(true);
        }
        let deliver = Arc::new(remind::DiscordDeliver {
            http: Arc::new(hb.build()),
            rest: Arc::new(rest::Rest::new(
                client.clone(),
                via_serenity,
                config.retry,
                Arc::clone(&metrics),
            )),
            engine: Arc::clone(&engine),
        });
        let mut rx = stop_rx.clone();
        tokio::spawn(crate::reminders::runner::run(
            reminders,
            clock,
            deliver,
            crate::reminders::Limits::default(),
            async move {
                let _ = rx.wait_for(|s| *s).await;
            },
        ));
    }
    if let Some(addr) = config.http_addr {
        let mut rx = stop_rx.clone();
        let (bound, serve) = health::bind(addr, Arc::clone(&metrics), async move {
            let _ = rx.wait_for(|s| *s).await;
        })
        .await?;
        tracing::info!(%bound, "serving /healthz and /metrics");
        tokio::spawn(serve);
    }

    tokio::pin!(shutdown);
    let mut with_content = true;
    let result = loop {
        let mut hb = HttpBuilder::new(config.token.expose()).client(client.clone());
        if let Some(base) = &config.api_base {
            hb = hb.proxy(base.as_str()).ratelimiter_disabled(true);
        }
        let built = ClientBuilder::new_with_http(hb.build(), intents(with_content))
            .event_handler_arc(Arc::new(Handler(Arc::clone(&app))))
            .await;
        let mut client = match built {
            Ok(c) => c,
            Err(e) => break Err(DiscordError::Gateway(e.to_string())),
        };
        let manager = Arc::clone(&client.shard_manager);
        tracing::info!(message_content = with_content, "connecting to the gateway");
        tokio::select! {
            r = client.start() => match r {
                Ok(()) => break Ok(()),
                Err(serenity::Error::Gateway(GatewayError::DisallowedGatewayIntents)) if with_content => {
                    tracing::error!("{NO_CONTENT_INTENT}");
                    metrics.set_ready(false);
                    with_content = false;
                    continue;
                }
                Err(serenity::Error::Gateway(GatewayError::InvalidAuthentication)) => break Err(DiscordError::BadToken),
                Err(e) => break Err(DiscordError::Gateway(e.to_string())),
            },
            () = &mut shutdown => {
                tracing::info!("shutting down");
                metrics.set_ready(false);
                if tokio::time::timeout(SHUTDOWN_GRACE, manager.shutdown_all()).await.is_err() {
                    tracing::warn!("shards did not close within {SHUTDOWN_GRACE:?}");
                }
                break Ok(());
            }
        }
    };
    metrics.set_ready(false);
    let _ = stop_tx.send(true);
    if let Err(e) = store.checkpoint() {
        tracing::warn!(error = %e, "database checkpoint failed");
    }
    result
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

/// `backbot run`: logs to stderr (`RUST_LOG`), serve until SIGINT or SIGTERM.
pub fn serve(config: Config, engine: Engine) -> Result<(), DiscordError> {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,serenity=warn")),
        )
        .with_writer(std::io::stderr)
        .try_init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let metrics = Arc::new(Metrics::default());
    let result = runtime.block_on(run(config, Arc::new(engine), metrics, shutdown_signal()));
    // Do not wait for stray tasks (in-flight retries) beyond the grace period.
    runtime.shutdown_timeout(Duration::from_secs(1));
    result
}
