//! Outgoing REST calls with retries: 5xx and network errors are retried with
//! exponential backoff (messages carry a nonce with `enforce_nonce`, so a retry
//! never duplicates), 429 is honoured by waiting `retry-after` (behind a proxy
//! serenity's own rate limiter is off), any other 4xx gives up with a log line.
//! Every message and interaction response mentions nobody.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serenity::all::{
    ApplicationId, ChannelId, CreateCommand, CreateInteractionResponse, CreateMessage, GuildId,
    HttpError, InteractionId, LightMethod, Nonce, Request, Route,
};
use serenity::http::Http;

use super::config::RetryPolicy;
use super::embed::no_mentions;
use super::metrics::Metrics;
use super::policy::{backoff, retry_after};

/// A REST call that failed for good.
#[derive(Debug, thiserror::Error)]
pub enum RestError {
    /// Discord refused the request (4xx other than 429): retrying would not help.
    #[error("{route}: Discord refused the request with HTTP {status} (code {code}: {message})")]
    Refused {
        /// What was called.
        route: &'static str,
        /// HTTP status.
        status: u16,
        /// Discord's JSON error code (-1 when absent).
        code: i64,
        /// Discord's message.
        message: String,
    },
    /// 5xx, network errors or rate limits outlasted the retries.
    #[error("{route}: gave up after {attempts} attempts, last error: {last}")]
    GaveUp {
        /// What was called.
        route: &'static str,
        /// Attempts made.
        attempts: u32,
        /// The last failure.
        last: String,
    },
    /// The request could not be built or encoded (a bug, not a network problem).
    #[error("{route}: cannot build the request: {detail}")]
    Build {
        /// What was called.
        route: &'static str,
        /// Why.
        detail: String,
    },
}

enum Outcome {
    Done(Vec<u8>),
    Status {
        status: u16,
        retry_after: Option<Duration>,
        body: Vec<u8>,
    },
    Network(String),
}

/// Sends REST calls through serenity's request builder, with retries.
#[derive(Debug)]
pub struct Rest {
    client: reqwest::Client,
    /// Serenity's own rate limiter is on (no proxy): requests go through `Http::request`.
    via_serenity: bool,
    retry: RetryPolicy,
    metrics: Arc<Metrics>,
    nonces: AtomicU64,
}

impl Rest {
    /// `client` is the reqwest client also given to serenity's `HttpBuilder`.
    pub fn new(
        client: reqwest::Client,
        via_serenity: bool,
        retry: RetryPolicy,
        metrics: Arc<Metrics>,
    ) -> Rest {
        Rest {
            client,
            via_serenity,
            retry,
            metrics,
            nonces: AtomicU64::new(0),
        }
    }

    /// A fresh nonce (at most 25 characters, unique within this process and run).
    pub fn nonce(&self) -> String {
        let n = self.nonces.fetch_add(1, Ordering::Relaxed);
        let t = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        format!("{:x}{:x}", t & 0xffff_ffff_ffff, n)
    }

    async fn attempt(&self, http: &Http, req: &Request<'_>) -> Result<Outcome, RestError> {
        if self.via_serenity {
            return Ok(match http.request(req.clone()).await {
                Ok(resp) => match resp.bytes().await {
                    Ok(b) => Outcome::Done(b.to_vec()),
                    Err(e) => Outcome::Network(e.without_url().to_string()),
                },
                Err(serenity::Error::Http(HttpError::UnsuccessfulRequest(er))) => Outcome::Status {
                    status: er.status_code.as_u16(),
                    retry_after: None,
                    body: serde_json::to_vec(&er.error).unwrap_or_default(),
                },
                Err(serenity::Error::Http(HttpError::Request(e))) => {
                    Outcome::Network(e.without_url().to_string())
                }
                Err(e) => Outcome::Network(e.to_string()),
            });
        }
        let built = req
            .clone()
            .build(&self.client, http.token(), http.proxy.as_deref())
            .map_err(|e| RestError::Build {
                route: "request",
                detail: e.to_string(),
            })?;
        Ok(match built.send().await {
            Ok(resp) => {
                let status = resp.status().as_u16();
                let header = resp
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                match resp.bytes().await {
                    Ok(body) if (200..300).contains(&status) => Outcome::Done(body.to_vec()),
                    Ok(body) => Outcome::Status {
                        status,
                        retry_after: retry_after(header.as_deref(), &body),
                        body: body.to_vec(),
                    },
                    Err(e) => Outcome::Network(e.without_url().to_string()),
                }
            }
            Err(e) => Outcome::Network(e.without_url().to_string()),
        })
    }

    /// Performs `req`, retrying as the module documentation says; returns the response body.
    pub async fn call(
        &self,
        http: &Http,
        route: &'static str,
        req: Request<'_>,
    ) -> Result<Vec<u8>, RestError> {
        let mut failures = 0u32;
        let mut limited = 0u32;
        loop {
            let outcome = self.attempt(http, &req).await.map_err(|e| match e {
                RestError::Build { detail, .. } => RestError::Build { route, detail },
                other => other,
            })?;
            let last = match outcome {
                Outcome::Done(body) => return Ok(body),
                Outcome::Status {
                    status: 429,
                    retry_after,
                    ..
                } => {
                    Metrics::inc(&self.metrics.rate_limits);
                    limited += 1;
                    let wait = retry_after.unwrap_or_else(|| {
                        backoff(self.retry.base, limited - 1, self.retry.max_wait)
                    });
                    if limited > self.retry.attempts || wait > self.retry.max_wait {
                        Metrics::inc(&self.metrics.rest_errors);
                        tracing::warn!(
                            route,
                            limited,
                            wait_ms = wait.as_millis() as u64,
                            "rate limited (429) too long; giving up"
                        );
                        return Err(RestError::GaveUp {
                            route,
                            attempts: failures + limited,
                            last: "HTTP 429".into(),
                        });
                    }
                    tracing::warn!(
                        route,
                        wait_ms = wait.as_millis() as u64,
                        "rate limited (429); waiting retry-after"
                    );
                    tokio::time::sleep(wait).await;
                    continue;
                }
                Outcome::Status { status, body, .. } if status < 500 => {
                    Metrics::inc(&self.metrics.rest_errors);
                    let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                    let code = v
                        .get("code")
                        .and_then(serde_json::Value::as_i64)
                        .unwrap_or(-1);
                    let message = v
                        .get("message")
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or("")
                        .chars()
                        .take(200)
                        .collect::<String>();
                    tracing::warn!(route, status, code, message = %message, "Discord refused the request; not retrying");
                    return Err(RestError::Refused {
                        route,
                        status,
                        code,
                        message,
                    });
                }
                Outcome::Status { status, .. } => format!("HTTP {status}"),
                Outcome::Network(e) => e,
            };
            Metrics::inc(&self.metrics.rest_errors);
            failures += 1;
            if failures >= self.retry.attempts {
                tracing::warn!(route, attempts = failures, error = %last, "REST call failed; giving up");
                return Err(RestError::GaveUp {
                    route,
                    attempts: failures + limited,
                    last,
                });
            }
            let wait = backoff(self.retry.base, failures - 1, self.retry.max_wait);
            tracing::warn!(route, attempt = failures, wait_ms = wait.as_millis() as u64, error = %last, "REST call failed; retrying");
            tokio::time::sleep(wait).await;
        }
    }

    /// Sends a message (with a nonce, `enforce_nonce` and no mentions).
    pub async fn send_message(
        &self,
        http: &Http,
        channel: u64,
        msg: CreateMessage,
    ) -> Result<(), RestError> {
        let nonce = self.nonce();
        self.send_message_with_nonce(http, channel, msg, nonce)
            .await
    }

    /// Opens (or finds) the DM channel with a user; returns its id.
    pub async fn open_dm(&self, http: &Http, user: u64) -> Result<u64, RestError> {
        let route = "POST /users/@me/channels";
        nonzero(route, user)?;
        let body = serde_json::to_vec(&serde_json::json!({"recipient_id": user.to_string()}))
            .map_err(|e| RestError::Build {
                route,
                detail: e.to_string(),
            })?;
        let req = Request::new(Route::UserMeDmChannels, LightMethod::Post).body(Some(body));
        let resp = self.call(http, route, req).await?;
        let v: serde_json::Value = serde_json::from_slice(&resp).unwrap_or_default();
        v.get("id")
            .and_then(serde_json::Value::as_str)
            .and_then(|id| id.parse::<u64>().ok())
            .filter(|&id| id != 0)
            .ok_or_else(|| RestError::GaveUp {
                route,
                attempts: 1,
                last: "the response has no channel id".into(),
            })
    }

    /// Sends a message with a caller-chosen nonce (the same for every attempt
    /// at the same logical message), `enforce_nonce` and no mentions.
    pub async fn send_message_with_nonce(
        &self,
        http: &Http,
        channel: u64,
        msg: CreateMessage,
        nonce: String,
    ) -> Result<(), RestError> {
        let route = "POST /channels/{channel}/messages";
        nonzero(route, channel)?;
        let msg = msg
            .nonce(Nonce::String(nonce))
            .enforce_nonce(true)
            .allowed_mentions(no_mentions());
        let body = serde_json::to_vec(&msg).map_err(|e| RestError::Build {
            route,
            detail: e.to_string(),
        })?;
        let req = Request::new(
            Route::ChannelMessages {
                channel_id: ChannelId::new(channel),
            },
            LightMethod::Post,
        )
        .body(Some(body));
        self.call(http, route, req).await.map(|_| ())
    }

    /// Answers an interaction.
    pub async fn respond(
        &self,
        http: &Http,
        interaction: InteractionId,
        token: &str,
        response: &CreateInteractionResponse,
    ) -> Result<(), RestError> {
        let route = "POST /interactions/{id}/{token}/callback";
        let body = serde_json::to_vec(response).map_err(|e| RestError::Build {
            route,
            detail: e.to_string(),
        })?;
        let req = Request::new(
            Route::InteractionResponse {
                interaction_id: interaction,
                token,
            },
            LightMethod::Post,
        )
        .body(Some(body));
        self.call(http, route, req).await.map(|_| ())
    }

    /// Replaces every command of the application, globally or in one guild.
    pub async fn put_commands(
        &self,
        http: &Http,
        app: u64,
        guild: Option<u64>,
        commands: &[CreateCommand],
    ) -> Result<(), RestError> {
        let route = if guild.is_some() {
            "PUT /applications/{app}/guilds/{guild}/commands"
        } else {
            "PUT /applications/{app}/commands"
        };
        let body = serde_json::to_vec(commands).map_err(|e| RestError::Build {
            route,
            detail: e.to_string(),
        })?;
        nonzero(route, app)?;
        nonzero(route, guild.unwrap_or(1))?;
        let application_id = ApplicationId::new(app);
        let r = match guild {
            Some(g) => Route::GuildCommands {
                application_id,
                guild_id: GuildId::new(g),
            },
            None => Route::Commands { application_id },
        };
        self.call(
            http,
            route,
            Request::new(r, LightMethod::Put).body(Some(body)),
        )
        .await
        .map(|_| ())
    }
}

/// Serenity's id types panic on 0: refuse it as a build error instead.
fn nonzero(route: &'static str, id: u64) -> Result<(), RestError> {
    if id == 0 {
        return Err(RestError::Build {
            route,
            detail: "id 0".into(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_short_and_unique() {
        let r = Rest::new(
            reqwest::Client::new(),
            false,
            RetryPolicy::default(),
            Arc::default(),
        );
        let a = r.nonce();
        let b = r.nonce();
        assert_ne!(a, b);
        assert!(a.len() <= 25 && b.len() <= 25, "{a} {b}");
    }
}
