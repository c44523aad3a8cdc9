//! `baton serve`: wires flags, the SQLite store, the knowledge base, the `/v1` API, static
//! files (www/, /agent, /dist) and CORS into one axum server with graceful shutdown.

use crate::api::{self, AppState};
use crate::cli::{self, ServeConfig};
use crate::db::Store;
use crate::kb::KnowledgeBase;
use axum::http::{HeaderName, HeaderValue, Method};
use axum::Router;
use std::io::Write;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};

pub fn main(args: &[String]) -> ExitCode {
    let env_port = std::env::var("PORT").ok();
    let config = match cli::parse_serve(args, env_port.as_deref()) {
        Ok(Some(c)) => c,
        Ok(None) => {
            println!("{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("baton serve: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("baton serve: {e}");
            ExitCode::FAILURE
        }
    }
}

fn open_state(config: &ServeConfig) -> Result<AppState, String> {
    if let Some(dir) = config.db.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let store = Store::open(&config.db).map_err(|e| format!("cannot open database {}: {e}", config.db.display()))?;
    let kb_text = std::fs::read_to_string(&config.kb)
        .map_err(|e| format!("cannot read knowledge base {} (--kb): {e}", config.kb.display()))?;
    let kb = KnowledgeBase::from_json(&kb_text).map_err(|e| format!("{} (--kb): {e}", config.kb.display()))?;
    Ok(AppState {
        store,
        kb,
        fixed_agents: config.fixed_agents,
        handle_time_secs: config.handle_time_secs,
        mailer: config.mailer.clone(),
        mail_limit: Default::default(),
        consoles: Mutex::new(Default::default()),
        changes: tokio::sync::broadcast::channel(256).0,
        stopping: Default::default(),
    })
}

/// The whole HTTP surface. `/v1` first, then the console, the built widget, then www/ files.
pub fn app(config: &ServeConfig, state: AppState) -> Router {
    // Origins were validated by the CLI; anything that still is not a header value is skipped.
    let origins: Vec<HeaderValue> = config.allow_origins.iter().filter_map(|o| o.parse().ok()).collect();
    let cors = (!origins.is_empty()).then(|| {
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([HeaderName::from_static("content-type"), HeaderName::from_static("idempotency-key")])
            .expose_headers([HeaderName::from_static("retry-after")])
    });
    Router::new()
        .nest("/v1", api::router(Arc::new(state), cors))
        .route_service("/agent", ServeFile::new(config.www.join("agent.html")))
        // The widget's files are public, like a CDN's: any page may load them. The loader
        // imports the ES module and the module fetches the wasm, both with CORS, so a page on
        // another origin needs this header even to mount the widget (the API stays per origin).
        .nest_service("/dist", tower::Layer::layer(&CorsLayer::new().allow_origin(Any), ServeDir::new(&config.dist)))
        .fallback_service(ServeDir::new(&config.www))
        // A bug in one handler answers 500 instead of dropping the connection.
        .layer(CatchPanicLayer::new())
}

async fn run(config: ServeConfig) -> Result<(), String> {
    let state = open_state(&config)?;
    let listener = tokio::net::TcpListener::bind((config.host.as_str(), config.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{} (--host/--port): {e}", config.host, config.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    {
        // Tests and scripts parse this exact line to learn the port.
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "baton: listening on http://{}:{}", config.host, addr.port());
        let _ = out.flush();
    }
    let (changes, stopping) = (state.changes.clone(), state.stopping.clone());
    let app = app(&config, state);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(HEADER_TIMEOUT);
    // Each connection holds a receiver: it finishes its request when told to close, and the
    // sender sees every receiver gone once all of them have.
    let (closing, closed) = tokio::sync::watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown_signal());
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: try again shortly, as axum::serve does.
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let connection = http.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
        let mut closed = closed.clone();
        tokio::spawn(async move {
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => return,
                _ = closed.changed() => connection.as_mut().graceful_shutdown(),
            }
            let _ = connection.await;
        });
    }
    drop(closed);
    // Event streams never finish on their own: they end now, so their connections can close.
    stopping.store(true, std::sync::atomic::Ordering::SeqCst);
    let _ = changes.send(String::new());
    let _ = closing.send(());
    // Graceful, within limits: requests under way get DRAIN to finish, then the process exits
    // anyway (a client that never finishes sending its request must not block a restart).
    if tokio::time::timeout(DRAIN, closing.closed()).await.is_err() {
        eprintln!("baton serve: stopped after waiting {} s for open connections", DRAIN.as_secs());
    }
    Ok(())
}

/// How long a shutdown waits for connections still open.
const DRAIN: std::time::Duration = std::time::Duration::from_secs(5);
/// How long a client may take to send a request's headers (under axum::serve there was no
/// limit: a client sending them a byte at a time held a connection, and its memory, forever).
const HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
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
        _ = ctrl_c => {},
        _ = term => {},
    }
}
