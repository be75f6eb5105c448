//! The HTTP ceiling of this machine, for `scripts/search_ceiling.sh`: a bare
//! axum server that answers every `GET` with the same JSON body, held in
//! memory. No search, no serialisation, no middleware: what is left is
//! tokio, hyper and the kernel. Our search throughput is reported as a share
//! of this figure, measured in the same run.
//!
//! `cargo run --release -p lba-web --example bare_server -- BODY_FILE ADDR`

use axum::Router;
use axum::body::Bytes;
use axum::http::header;
use axum::response::IntoResponse;

type Error = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(addr)) = (args.next(), args.next()) else {
        return Err(
            "usage: bare_server BODY_FILE ADDR (e.g. /tmp/body.json 127.0.0.1:18091)".into(),
        );
    };
    let body = Bytes::from(
        std::fs::read(&path).map_err(|e| format!("{path}: cannot read the body: {e}"))?,
    );
    let app = Router::new().fallback(move || {
        let body = body.clone();
        async move { ([(header::CONTENT_TYPE, "application/json")], body).into_response() }
    });
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
