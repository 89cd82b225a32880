//! Bytes on disk to clean Unicode text.
//!
//! Owns gzip decompression, charset decoding and the refusal of binary or
//! empty input. It does not know about formats: every reader gets either the
//! decompressed bytes (HTML, which reads its own `<meta charset>`) or the text
//! this module decodes.
//!
//! Archives are messy: files saved by Windows tools, Latin-1 newswire,
//! gzip-compressed dumps without a `.gz` name. Nothing that is text is dropped:
//! bytes that are not UTF-8 are decoded as Windows-1252 (a superset of
//! Latin-1 for printable characters), so a `£` stays a `£`.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

use flate2::read::MultiGzDecoder;

use super::ReadError;
use super::limits::Limits;

/// The two magic bytes every gzip member starts with (RFC 1952).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// How much decompressed output is taken at a time.
const CHUNK: usize = 64 << 10;

/// How many leading bytes the control-character test looks at: enough to
/// judge, small enough to stay cheap on large files.
const SNIFF_LEN: usize = 8192;

/// True when the file is gzip-compressed, by name or by content: crawlers
/// often save compressed bodies under the page's own name.
pub fn is_gzip(path: &Path, bytes: &[u8]) -> bool {
    bytes.starts_with(&GZIP_MAGIC)
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// The file's content with any gzip layer removed, within the default
/// [`Limits`]: see [`decompress_within`].
pub fn decompress<'a>(path: &Path, bytes: &'a [u8]) -> Result<Cow<'a, [u8]>, ReadError> {
    decompress_within(path, Cow::Borrowed(bytes), &Limits::default())
}

/// The file's content with any gzip layer removed. A `.gz` name on bytes that
/// are not gzip is a broken file, not plain text: say so rather than guess.
///
/// Output past the file limit is refused while it streams, never allocated:
/// a stream whose trailer announces more is refused before it is expanded at
/// all, and one whose trailer lies is stopped as soon as it passes the limit.
pub fn decompress_within<'a>(
    path: &Path,
    bytes: Cow<'a, [u8]>,
    limits: &Limits,
) -> Result<Cow<'a, [u8]>, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if !is_gzip(path, &bytes) {
        return Ok(bytes);
    }
    if !bytes.starts_with(&GZIP_MAGIC) {
        return Err(ReadError::Gzip(
            "not a gzip stream (bad magic bytes)".into(),
        ));
    }
    let max = limits.max_file_bytes;
    // The trailer's size is exact for a one-member file under 4 GiB: the
    // output then takes one allocation of that size. A trailer over the
    // limit, or one the output outgrows (several members, or a lie), sends
    // the stream first through a pass that only counts, allocating nothing:
    // a bomb is refused there.
    let announced = trailer_size(&bytes);
    if announced <= max {
        let mut out = Vec::with_capacity(announced as usize);
        if expand_within(&bytes, announced, &mut out)? {
            return owned(out);
        }
    }
    let mut counted = MultiGzDecoder::new(&bytes[..]).take(max + 1);
    let size = std::io::copy(&mut counted, &mut std::io::sink())
        .map_err(|e| gzip_error(&e, bytes.len()))?;
    if size > max {
        return Err(limits.expands_too_far());
    }
    let mut out = Vec::with_capacity(size as usize);
    if !expand_within(&bytes, size, &mut out)? {
        return Err(ReadError::Gzip(
            "expands differently on a second reading".into(),
        ));
    }
    owned(out)
}

/// Expands `gz` into `out` while it fits in `room` bytes; false when the
/// stream holds more.
fn expand_within(gz: &[u8], room: u64, out: &mut Vec<u8>) -> Result<bool, ReadError> {
    let mut decoder = MultiGzDecoder::new(gz);
    let mut chunk = vec![0u8; CHUNK];
    loop {
        let n = match decoder.read(&mut chunk) {
            Ok(0) => return Ok(true),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(gzip_error(&e, gz.len())),
        };
        if (out.len() + n) as u64 > room {
            return Ok(false);
        }
        out.extend_from_slice(&chunk[..n]);
    }
}

fn owned(out: Vec<u8>) -> Result<Cow<'static, [u8]>, ReadError> {
    if out.is_empty() {
        return Err(ReadError::Empty);
    }
    Ok(Cow::Owned(out))
}

/// The size a gzip stream's last member says it expands to (ISIZE, the
/// last four bytes, modulo 2^32): never more than the member's real size.
fn trailer_size(bytes: &[u8]) -> u64 {
    match bytes.len().checked_sub(4) {
        Some(at) if bytes.len() >= 18 => {
            let b = &bytes[at..];
            u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        }
        _ => 0,
    }
}

fn gzip_error(e: &std::io::Error, compressed: usize) -> ReadError {
    match e.kind() {
        std::io::ErrorKind::UnexpectedEof => ReadError::Gzip(format!(
            "truncated after {compressed} compressed bytes ({e})"
        )),
        _ => ReadError::Gzip(e.to_string()),
    }
}

/// Refuses bytes that are not text: a NUL byte anywhere (no text encoding we
/// accept without a BOM uses it), or a lead dominated by control characters.
/// UTF-16 with a BOM is text and is let through.
pub fn check_binary(bytes: &[u8]) -> Result<(), ReadError> {
    if utf16_bom(bytes).is_some() {
        return Ok(());
    }
    if let Some(at) = memchr::memchr(0, bytes) {
        return Err(ReadError::Binary(at));
    }
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    let is_control = |b: &u8| b.is_ascii_control() && !b"\t\n\r\x0c".contains(b);
    let controls = head.iter().filter(|b| is_control(b)).count();
    // Newswire carries a few control bytes (STX/ETX); executables and
    // images carry them everywhere.
    if controls * 10 > head.len() {
        let first = head.iter().position(is_control).unwrap_or(0);
        return Err(ReadError::Binary(first));
    }
    Ok(())
}

fn utf16_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    match encoding_rs::Encoding::for_bom(bytes) {
        Some((enc, _)) if enc != encoding_rs::UTF_8 => Some(enc),
        _ => None,
    }
}

/// Decodes (already decompressed) bytes to text: UTF-8 without its BOM,
/// UTF-16 by its BOM, otherwise Windows-1252. Line ends become `\n`.
/// Whitespace-only input is [`ReadError::Empty`].
pub fn decode_text(bytes: &[u8]) -> Result<String, ReadError> {
    decode_owned(Cow::Borrowed(bytes))
}

/// [`decode_text`] that takes the bytes over: owned UTF-8 without a BOM or
/// carriage returns becomes the text without a copy.
pub fn decode_owned(bytes: Cow<[u8]>) -> Result<String, ReadError> {
    if let Cow::Owned(owned) = bytes {
        check_binary(&owned)?;
        return match String::from_utf8(owned) {
            Ok(text) if !text.starts_with('\u{feff}') && !text.contains('\r') => {
                if text.trim().is_empty() {
                    return Err(ReadError::Empty);
                }
                Ok(text)
            }
            Ok(text) => decode_text(text.as_bytes()),
            Err(e) => decode_text(e.as_bytes()),
        };
    }
    let bytes = &bytes[..];
    check_binary(bytes)?;
    let text: Cow<str> = if let Some(enc) = utf16_bom(bytes) {
        enc.decode_with_bom_removal(bytes).0
    } else {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match std::str::from_utf8(bytes) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => {
                encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(bytes)
                    .0
            }
        }
    };
    let text = normalize_newlines(text);
    if text.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    Ok(text)
}

/// CRLF and lone CR (old Mac files) to LF, allocating only when needed.
fn normalize_newlines(text: Cow<str>) -> String {
    if !text.contains('\r') {
        return text.into_owned();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::GzEncoder;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut enc = GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn gzip_is_found_by_magic_and_by_name() {
        let gz = gzip(b"hello");
        assert!(is_gzip(Path::new("a.dat"), &gz));
        assert!(is_gzip(Path::new("a.txt.GZ"), b"x"));
        assert!(!is_gzip(Path::new("a.txt"), b"hello"));
        assert_eq!(&*decompress(Path::new("a"), &gz).unwrap(), b"hello");
    }

    #[test]
    fn truncated_gzip_is_a_gzip_error() {
        let gz = gzip("some text to compress, long enough".repeat(50).as_bytes());
        let err = decompress(Path::new("a.txt.gz"), &gz[..gz.len() / 2]).unwrap_err();
        assert!(
            matches!(err, ReadError::Gzip(ref m) if m.contains("truncated")),
            "{err}"
        );
    }

    fn small_limits() -> Limits {
        Limits::from_mb(1, 1)
    }

    #[test]
    fn a_bomb_is_refused_by_its_trailer_before_expanding() {
        let gz = gzip(&vec![b'a'; (1 << 20) + 1]);
        let err =
            decompress_within(Path::new("a.gz"), Cow::Borrowed(&gz), &small_limits()).unwrap_err();
        assert!(
            matches!(err, ReadError::TooLarge(ref m) if m.contains("--max-file-size")),
            "{err}"
        );
        assert_eq!(
            decompress_within(
                Path::new("a.gz"),
                Cow::Borrowed(&gz),
                &Limits::from_mb(2, 1)
            )
            .unwrap()
            .len(),
            (1 << 20) + 1
        );
    }

    #[test]
    fn a_bomb_with_a_lying_trailer_is_stopped_at_the_limit() {
        let mut gz = gzip(&vec![b'a'; 3 << 20]);
        let at = gz.len() - 4;
        gz[at..].copy_from_slice(&100u32.to_le_bytes());
        let err =
            decompress_within(Path::new("a.gz"), Cow::Borrowed(&gz), &small_limits()).unwrap_err();
        assert!(matches!(err, ReadError::TooLarge(_)), "{err}");
        // Two members: the trailer names only the last one.
        let mut two = gzip(&vec![b'b'; 3 << 20]);
        two.extend(gzip(b"tail"));
        let err =
            decompress_within(Path::new("a.gz"), Cow::Borrowed(&two), &small_limits()).unwrap_err();
        assert!(matches!(err, ReadError::TooLarge(_)), "{err}");
    }

    #[test]
    fn owned_utf8_is_taken_over_and_other_bytes_decoded() {
        let text = decode_owned(Cow::Owned(b"Title\n\nBody".to_vec())).unwrap();
        assert_eq!(text, "Title\n\nBody");
        let text = decode_owned(Cow::Owned(b"\xEF\xBB\xBFa\r\nb \xA3".to_vec())).unwrap();
        assert_eq!(text, "a\nb \u{a3}");
        assert!(matches!(
            decode_owned(Cow::Owned(b" \n".to_vec())),
            Err(ReadError::Empty)
        ));
    }

    #[test]
    fn gz_name_on_plain_bytes_is_a_gzip_error() {
        let err = decompress(Path::new("a.txt.gz"), b"plain").unwrap_err();
        assert!(matches!(err, ReadError::Gzip(_)));
    }

    #[test]
    fn utf8_bom_is_stripped_and_crlf_normalised() {
        let text = decode_text(b"\xEF\xBB\xBFTitle\r\n\r\nBody\rend").unwrap();
        assert_eq!(text, "Title\n\nBody\nend");
    }

    #[test]
    fn utf16_with_bom_decodes() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Caf\u{e9}".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode_text(&bytes).unwrap(), "Caf\u{e9}");
    }

    #[test]
    fn invalid_utf8_falls_back_to_windows_1252() {
        let text = decode_text(b"costs \xA3600m \x93quoted\x94").unwrap();
        assert_eq!(text, "costs \u{a3}600m \u{201c}quoted\u{201d}");
    }

    #[test]
    fn nul_byte_means_binary() {
        let err = decode_text(b"abc\0def").unwrap_err();
        assert!(matches!(err, ReadError::Binary(3)));
    }

    #[test]
    fn control_heavy_bytes_mean_binary() {
        let bytes: Vec<u8> = (1u8..8).cycle().take(200).collect();
        assert!(matches!(decode_text(&bytes), Err(ReadError::Binary(0))));
    }

    #[test]
    fn whitespace_only_is_empty() {
        assert!(matches!(decode_text(b" \n\t\r\n"), Err(ReadError::Empty)));
        assert!(matches!(
            decompress(Path::new("a"), b""),
            Err(ReadError::Empty)
        ));
    }
}
