//! The yardstick of `server/bench/reads.sh`: a bare axum handler ("ok"), on the same runtime
//! settings and allocator as `hpf serve`, listening on the address given (default 127.0.0.1:3399).
//!
//! `cargo run --release -p server --example bare [ADDR]`

use axum::routing::get;
use axum::Router;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:3399".into());
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    use axum::serve::ListenerExt;
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let app = Router::new().route("/", get(|| async { "ok" }));
    axum::serve(listener, app).await.expect("serve");
}
