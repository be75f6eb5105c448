//! The optional virus scan of CVs: the `INSTREAM` command of a ClamAV
//! daemon (`clamd`) over TCP. The file is streamed in chunks, each prefixed
//! by its length (4 bytes, big-endian), and a zero length ends it; the
//! daemon answers `stream: OK` or `stream: <signature> FOUND`.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Chunk size sent to clamd (below its default StreamMaxLength chunks).
const CHUNK: usize = 64 * 1024;
/// The whole exchange must finish within this time.
const TIMEOUT: Duration = Duration::from_secs(30);

/// What the scan found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScanResult {
    /// Nothing.
    Clean,
    /// A signature matched (its name).
    Infected(String),
}

/// The scan could not be done (daemon down, unexpected answer): the
/// caller retries later rather than sending an unscanned file.
#[derive(Debug, thiserror::Error)]
#[error("analyse antivirus impossible : {0}")]
pub struct ScanError(String);

/// Scans `bytes` with the clamd at `addr` (`host:port`).
pub async fn scan(addr: &str, bytes: &[u8]) -> Result<ScanResult, ScanError> {
    tokio::time::timeout(TIMEOUT, exchange(addr, bytes))
        .await
        .map_err(|_| ScanError("délai dépassé".into()))?
}

async fn exchange(addr: &str, bytes: &[u8]) -> Result<ScanResult, ScanError> {
    let io = |e: std::io::Error| ScanError(e.to_string());
    let mut stream = TcpStream::connect(addr).await.map_err(io)?;
    stream.write_all(b"zINSTREAM\0").await.map_err(io)?;
    for chunk in bytes.chunks(CHUNK) {
        let len = u32::try_from(chunk.len()).map_err(|e| ScanError(e.to_string()))?;
        stream.write_all(&len.to_be_bytes()).await.map_err(io)?;
        stream.write_all(chunk).await.map_err(io)?;
    }
    stream.write_all(&0u32.to_be_bytes()).await.map_err(io)?;
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).await.map_err(io)?;
    let reply = String::from_utf8_lossy(&reply);
    let reply = reply.trim_end_matches(['\0', '\n']).trim();
    if reply.ends_with("OK") {
        Ok(ScanResult::Clean)
    } else if let Some(found) = reply.strip_suffix("FOUND") {
        let name = found.trim().trim_start_matches("stream:").trim();
        Ok(ScanResult::Infected(name.to_owned()))
    } else {
        Err(ScanError(format!("réponse inattendue de clamd : {reply}")))
    }
}
