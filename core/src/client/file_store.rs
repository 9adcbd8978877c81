//! Tokens in files, shared by every process on one host. PHP-FPM builds a
//! new client for each request and gunicorn or Node run several workers; with
//! only an in-memory cache each of them would fetch its own access_token and
//! jsapi_ticket and use up WeChat's daily quota.

use std::collections::HashMap;
use std::fs;
use std::io::{ErrorKind as IoKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::client::{LockOutcome, TokenStore};
use crate::error::{Error, Result};

/// A [`TokenStore`] that keeps each entry in a file of its own under one
/// directory. Writes are atomic (a temporary file renamed into place), so a
/// reader never sees half a token; files are readable by their owner only.
/// The refresh lock is an OS file lock on a `.lock` file beside the entry:
/// one process of the host fetches a missing token while the others wait
/// for it, and the lock of a process that dies is released by the OS at
/// once.
///
/// ```
/// use std::time::Duration;
/// use wxpay::{FileStore, TokenStore};
/// let dir = std::env::temp_dir().join(format!("wxpay-doc-{}", std::process::id()));
/// let store = FileStore::new(&dir).unwrap();
/// store.set("wxpay:wxd930ea5d5a258f4f:access_token", "entry", Duration::from_secs(60)).unwrap();
/// assert_eq!(store.get("wxpay:wxd930ea5d5a258f4f:access_token").unwrap().as_deref(), Some("entry"));
/// # std::fs::remove_dir_all(dir).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct FileStore {
    dir: PathBuf,
    /// The open lock files, by owner: closing one releases its lock.
    locks: Arc<Mutex<HashMap<String, fs::File>>>,
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

fn failed(what: &str, e: &std::io::Error) -> Error {
    Error::Cache {
        message: format!("token directory: {what}: {}", e.kind()),
    }
}

impl FileStore {
    /// Uses `dir`, creating it (owner-only on Unix) when missing.
    pub fn new(dir: impl AsRef<Path>) -> Result<Self> {
        let dir = dir.as_ref().to_path_buf();
        if !dir.is_dir() {
            let mut builder = fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder
                .create(&dir)
                .map_err(|e| Error::config(format!("token_dir cannot be created: {}", e.kind())))?;
        }
        Ok(FileStore {
            dir,
            locks: Arc::default(),
        })
    }

    /// The directory it uses.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Keys are wxpay's own (`wxpay:{appid}:access_token`); anything else
    /// could name a path outside the directory, so it is refused.
    fn path(&self, key: &str) -> Result<PathBuf> {
        let ok = !key.is_empty()
            && key.len() <= 128
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b':'));
        if !ok {
            return Err(Error::Cache {
                message: "token key must be 1-128 characters of A-Z, a-z, 0-9, _, - and :".into(),
            });
        }
        Ok(self.dir.join(key.replace(':', ".")))
    }
}

impl TokenStore for FileStore {
    fn kind(&self) -> &'static str {
        "file"
    }

    fn get(&self, key: &str) -> Result<Option<String>> {
        match fs::read_to_string(self.path(key)?) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == IoKind::NotFound => Ok(None),
            Err(e) => Err(failed("cannot read a token file", &e)),
        }
    }

    fn set(&self, key: &str, value: &str, _ttl: Duration) -> Result<()> {
        // Entries carry their own expiry; a stale file is simply replaced.
        let path = self.path(key)?;
        let temp = self.dir.join(format!(
            ".{}.{}.{}.tmp",
            key.replace(':', "."),
            std::process::id(),
            TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let written = options
            .open(&temp)
            .and_then(|mut f| f.write_all(value.as_bytes()).and_then(|()| f.sync_all()))
            .and_then(|()| fs::rename(&temp, &path));
        if let Err(e) = written {
            let _ = fs::remove_file(&temp);
            return Err(failed("cannot write a token file", &e));
        }
        Ok(())
    }

    fn try_lock(&self, key: &str, owner: &str, _ttl: Duration) -> Result<LockOutcome> {
        let mut options = fs::OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options
            .open(self.path(key)?)
            .map_err(|e| failed("cannot open a lock file", &e))?;
        match file.try_lock() {
            Ok(()) => {
                self.locks
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(owner.to_owned(), file);
                Ok(LockOutcome::Taken)
            }
            Err(fs::TryLockError::WouldBlock) => Ok(LockOutcome::Held),
            Err(fs::TryLockError::Error(e)) => Err(failed("cannot lock a lock file", &e)),
        }
    }

    fn unlock(&self, _key: &str, owner: &str) -> Result<()> {
        // Closing the file releases the OS lock.
        self.locks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(owner);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!("wxpay-file-store-{name}-{}", std::process::id()))
    }

    #[test]
    fn stores_replaces_and_misses() {
        let dir = temp_dir("basic");
        let store = FileStore::new(&dir).unwrap();
        assert_eq!(store.get("wxpay:a:access_token").unwrap(), None);
        store
            .set("wxpay:a:access_token", "one", Duration::from_secs(1))
            .unwrap();
        store
            .set("wxpay:a:access_token", "two", Duration::from_secs(1))
            .unwrap();
        assert_eq!(
            store.get("wxpay:a:access_token").unwrap().as_deref(),
            Some("two")
        );
        let names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, ["wxpay.a.access_token"], "no temporary files left");
        fs::remove_dir_all(dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn only_the_owner_can_read_tokens() {
        use std::os::unix::fs::PermissionsExt;
        let dir = temp_dir("mode").join("nested");
        let store = FileStore::new(&dir).unwrap();
        store
            .set("wxpay:a:jsapi_ticket", "t", Duration::from_secs(1))
            .unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("wxpay.a.jsapi_ticket")), 0o600);
        fs::remove_dir_all(dir.parent().unwrap()).unwrap();
    }

    #[test]
    fn keys_cannot_leave_the_directory() {
        let dir = temp_dir("keys");
        let store = FileStore::new(&dir).unwrap();
        for key in ["../x", "a/b", "", ".hidden", "a b", &"k".repeat(129)] {
            assert_eq!(
                store.get(key).unwrap_err().kind(),
                crate::ErrorKind::Cache,
                "{key:?}"
            );
            assert!(
                store.set(key, "v", Duration::from_secs(1)).is_err(),
                "{key:?}"
            );
        }
        fs::remove_dir_all(dir).unwrap();
    }
}
