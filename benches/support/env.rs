//! Bench settings from environment variables, with defaults sized so the
//! whole `cargo bench` run stays under about three minutes.

/// `name` as a number, or `default` when unset or unparsable.
pub fn usize_var(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.trim().replace('_', "").parse().ok()).unwrap_or(default)
}

/// `name` as a comma-separated list of numbers (`10000,100000`), or `default`.
pub fn list_var(name: &str, default: &[usize]) -> Vec<usize> {
    let parsed: Option<Vec<usize>> = std::env::var(name)
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().replace('_', "").parse().ok()).collect::<Option<Vec<usize>>>())
        .and_then(|v| v);
    match parsed {
        Some(v) if !v.is_empty() => v,
        _ => default.to_vec(),
    }
}

/// `name` as a comma-separated list of words (`sdk,delta`), or `default`.
pub fn words_var(name: &str, default: &[&str]) -> Vec<String> {
    let words: Vec<String> = std::env::var(name)
        .map(|v| v.split(',').map(|w| w.trim().to_owned()).filter(|w| !w.is_empty()).collect())
        .unwrap_or_default();
    if words.is_empty() { default.iter().map(|w| (*w).to_owned()).collect() } else { words }
}
