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
    let stopping = Arc::new(tokio::sync::Notify::new());
    let signalled = stopping.clone();
    let server = axum::serve(listener, app(&config, state)).with_graceful_shutdown(async move {
        shutdown_signal().await;
        signalled.notify_one();
    });
    // Graceful, within limits: requests under way get DRAIN to finish, then the process exits
    // anyway (a client that never finishes sending its request must not block a restart).
    tokio::select! {
        served = std::future::IntoFuture::into_future(server) => served.map_err(|e| format!("server error: {e}")),
        () = async {
            stopping.notified().await;
            tokio::time::sleep(DRAIN).await;
        } => {
            eprintln!("baton serve: stopped after waiting {} s for open connections", DRAIN.as_secs());
            Ok(())
        }
    }
}

/// How long a shutdown waits for connections still open.
const DRAIN: std::time::Duration = std::time::Duration::from_secs(5);

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
