//! Name resolution bounded by the request's timeout, without a thread per
//! request.
//!
//! ureq's own resolver looks a host up on a new thread whenever a timeout
//! covers resolution (the only way to bound `getaddrinfo`), and it resolves on
//! every request, pooled connection or not: a thread per call, which costs more
//! than the rest of a pooled call. This one parses IP literals on the spot,
//! and looks a host name up on such a thread only when its cached answer is
//! missing or older than [`TTL`]; a connection failure drops the cache so a
//! moved host is found again at once.

use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long a looked-up address is reused: about what system resolvers and
/// browsers keep an answer for when they cache at all.
const TTL: std::time::Duration = std::time::Duration::from_secs(60);

/// Hosts remembered at once; a client talks to one or two.
const MAX_HOSTS: usize = 8;

/// The resolver the adapter's agent uses; cheap to clone, clones share the
/// cache.
#[derive(Clone, Default)]
pub(crate) struct CachingResolver {
    cache: Arc<Mutex<Vec<Entry>>>,
}

struct Entry {
    /// `scheme://authority`: the port depends on both.
    key: String,
    addrs: ResolvedSocketAddrs,
    resolved: Instant,
}

impl CachingResolver {
    /// Forgets every cached answer, after a connection failed.
    pub(crate) fn forget(&self) {
        self.entries().clear();
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Vec<Entry>> {
        // A panic elsewhere cannot leave the cache inconsistent: at worst an
        // entry is missing, and it is looked up again.
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl std::fmt::Debug for CachingResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hosts = self.entries().len();
        f.debug_struct("CachingResolver")
            .field("hosts", &hosts)
            .finish()
    }
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let host = uri.host().unwrap_or_default();
        let literal = host.trim_start_matches('[').trim_end_matches(']');
        if literal.parse::<IpAddr>().is_ok() {
            // No lookup to wait for: the standard library parses it, and
            // ureq's resolver keeps to the configured IP family.
            return DefaultResolver::default().resolve(uri, config, NextTimeout::default());
        }
        let key = format!(
            "{}://{}",
            uri.scheme_str().unwrap_or_default(),
            uri.authority().map(|a| a.as_str()).unwrap_or_default()
        );
        let now = Instant::now();
        if let Some(entry) = self.entries().iter().find(|entry| entry.key == key)
            && now.duration_since(entry.resolved) < TTL
        {
            return Ok(entry.addrs.clone());
        }
        // Looked up outside the lock, on ureq's thread, within the timeout.
        let addrs = DefaultResolver::default().resolve(uri, config, timeout)?;
        let mut entries = self.entries();
        entries.retain(|entry| entry.key != key);
        if entries.len() >= MAX_HOSTS {
            entries.remove(0);
        }
        entries.push(Entry {
            key,
            addrs: addrs.clone(),
            resolved: now,
        });
        Ok(addrs)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn resolve(resolver: &CachingResolver, uri: &str) -> ResolvedSocketAddrs {
        let uri: Uri = uri.parse().expect("a valid URI");
        let timeout = NextTimeout {
            after: Duration::from_secs(5).into(),
            ..NextTimeout::default()
        };
        resolver
            .resolve(&uri, &Config::default(), timeout)
            .expect("resolves")
    }

    #[test]
    fn ip_literals_are_parsed_not_cached() {
        let resolver = CachingResolver::default();
        let addrs = resolve(&resolver, "http://127.0.0.1:8080/x");
        assert_eq!(addrs[0], "127.0.0.1:8080".parse().expect("an address"));
        let addrs = resolve(&resolver, "http://[::1]:8080/x");
        assert_eq!(addrs[0], "[::1]:8080".parse().expect("an address"));
        assert!(resolver.entries().is_empty());
    }

    #[test]
    fn a_host_name_is_looked_up_once_per_port_then_forgotten() {
        let resolver = CachingResolver::default();
        let first = resolve(&resolver, "http://localhost:8080/a");
        assert!(first.iter().all(|addr| addr.port() == 8080));
        let again = resolve(&resolver, "http://localhost:8080/b");
        assert_eq!(&*first, &*again);
        resolve(&resolver, "https://localhost/");
        assert_eq!(resolver.entries().len(), 2, "one entry per scheme and port");
        resolver.forget();
        assert!(resolver.entries().is_empty());
    }
}
