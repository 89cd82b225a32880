//! The page, compiled into the binary: plain HTML, CSS and JavaScript, so
//! serving it needs no toolchain and no files beside the binary.
//!
//! Assets are looked up by exact name in a fixed table: a path never
//! reaches the file system, so `..` and encoded variants find nothing.

/// One embedded file.
pub struct Asset {
    pub body: &'static str,
    pub content_type: &'static str,
}

const INDEX: Asset = Asset {
    body: include_str!("web/index.html"),
    content_type: "text/html; charset=utf-8",
};

/// The asset served at a URL path, if any. Every page path the page's own
/// router uses (`/`, `/article/ID`) gets the page.
pub fn get(path: &str) -> Option<Asset> {
    match path {
        "/" | "/index.html" => Some(INDEX),
        "/app.js" => Some(Asset {
            body: include_str!("web/app.js"),
            content_type: "text/javascript; charset=utf-8",
        }),
        "/style.css" => Some(Asset {
            body: include_str!("web/style.css"),
            content_type: "text/css; charset=utf-8",
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_table_is_served() {
        assert!(get("/").is_some());
        assert!(get("/app.js").is_some());
        for path in [
            "/../Cargo.toml",
            "/web/app.js",
            "/%2e%2e/etc/passwd",
            "//app.js",
            "",
        ] {
            assert!(get(path).is_none(), "{path}");
        }
    }
}
