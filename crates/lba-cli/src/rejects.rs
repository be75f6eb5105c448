//! The rejected rows of an import, as every command prints them.

use lba_data::Rejected;

/// Prints the first rejected rows of `file` (line, field, reason), then how
/// many more there were out of `total`.
pub(crate) fn print_rejects(file: &str, total: u64, rejects: &[Rejected]) {
    for rejected in rejects {
        println!(
            "      {file}:{}: champ `{}` : {}",
            rejected.line, rejected.field, rejected.reason
        );
    }
    if total > rejects.len() as u64 {
        println!("      … et {} autres", total - rejects.len() as u64);
    }
}
