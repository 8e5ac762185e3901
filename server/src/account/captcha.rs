//! 附加码 — the image captcha: four characters drawn by the server into a bitmap (no text in the
//! markup to read), case-insensitive, single use, valid for two minutes; only a hash of the answer
//! is stored.

use super::secret;
use crate::error::{Error, Result};
use crate::state::AppState;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use shared::ApiError;

/// Letters and digits that cannot be confused (no 0/O, 1/I).
const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const LENGTH: usize = 4;
pub const LIFETIME_SECONDS: i64 = 120;
const WIDTH: usize = 120;
const HEIGHT: usize = 44;

/// 5×7 glyphs, one row per byte, the top five bits used (HD44780 shapes).
fn glyph(c: u8) -> [u8; 7] {
    let rows: [u8; 7] = match c {
        b'A' => [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        b'B' => [0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E],
        b'C' => [0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E],
        b'D' => [0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C],
        b'E' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
        b'F' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10],
        b'G' => [0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F],
        b'H' => [0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        b'J' => [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C],
        b'K' => [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
        b'L' => [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F],
        b'M' => [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11],
        b'N' => [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
        b'P' => [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10],
        b'Q' => [0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D],
        b'R' => [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11],
        b'S' => [0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E],
        b'T' => [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
        b'U' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        b'V' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04],
        b'W' => [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A],
        b'X' => [0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11],
        b'Y' => [0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04],
        b'Z' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F],
        b'2' => [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
        b'3' => [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        b'4' => [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        b'5' => [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        b'6' => [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
        b'7' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        b'8' => [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E],
        b'9' => [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        _ => [0; 7],
    };
    rows
}

struct Canvas {
    pixels: Vec<[u8; 3]>,
}

impl Canvas {
    fn new() -> Self {
        Canvas {
            pixels: vec![[246, 248, 250]; WIDTH * HEIGHT],
        }
    }

    fn set(&mut self, x: i32, y: i32, color: [u8; 3]) {
        if (0..WIDTH as i32).contains(&x) && (0..HEIGHT as i32).contains(&y) {
            self.pixels[y as usize * WIDTH + x as usize] = color;
        }
    }

    fn line(&mut self, (mut x0, mut y0): (i32, i32), (x1, y1): (i32, i32), color: [u8; 3]) {
        let (dx, dy) = ((x1 - x0).abs(), -(y1 - y0).abs());
        let (sx, sy) = (if x0 < x1 { 1 } else { -1 }, if y0 < y1 { 1 } else { -1 });
        let mut err = dx + dy;
        loop {
            self.set(x0, y0, color);
            if x0 == x1 && y0 == y1 {
                break;
            }
            let e2 = 2 * err;
            if e2 >= dy {
                err += dy;
                x0 += sx;
            }
            if e2 <= dx {
                err += dx;
                y0 += sy;
            }
        }
    }

    /// A 24-bit BMP, bottom-up rows padded to four bytes.
    fn bmp(&self) -> Vec<u8> {
        let row = (WIDTH * 3).div_ceil(4) * 4;
        let size = 54 + row * HEIGHT;
        let mut out = Vec::with_capacity(size);
        out.extend_from_slice(b"BM");
        out.extend_from_slice(&(size as u32).to_le_bytes());
        out.extend_from_slice(&[0, 0, 0, 0, 54, 0, 0, 0, 40, 0, 0, 0]);
        out.extend_from_slice(&(WIDTH as i32).to_le_bytes());
        out.extend_from_slice(&(HEIGHT as i32).to_le_bytes());
        out.extend_from_slice(&[1, 0, 24, 0, 0, 0, 0, 0]);
        out.extend_from_slice(&((row * HEIGHT) as u32).to_le_bytes());
        out.extend_from_slice(&[0; 16]);
        for y in (0..HEIGHT).rev() {
            for x in 0..WIDTH {
                let [r, g, b] = self.pixels[y * WIDTH + x];
                out.extend_from_slice(&[b, g, r]);
            }
            out.resize(out.len() + row - WIDTH * 3, 0);
        }
        out
    }
}

/// Draws `text` with per-character shear, offset and colour, over noise lines and dots.
pub fn draw(text: &str) -> Vec<u8> {
    let mut canvas = Canvas::new();
    let palette = [
        [20, 60, 140],
        [150, 30, 30],
        [30, 110, 50],
        [90, 40, 120],
        [40, 40, 40],
    ];
    for _ in 0..3 {
        let from = (
            secret::range(0, WIDTH as i32),
            secret::range(0, HEIGHT as i32),
        );
        let to = (
            secret::range(0, WIDTH as i32),
            secret::range(0, HEIGHT as i32),
        );
        canvas.line(from, to, [190, 198, 210]);
    }
    let scale = 4;
    for (i, c) in text.bytes().enumerate() {
        let color = secret::pick(&palette);
        let left = 8 + i as i32 * 27 + secret::range(-2, 3);
        let top = 6 + secret::range(-3, 4);
        // A slight slant only: retirees must still read it.
        let shear = secret::range(-1, 2);
        for (row, bits) in glyph(c).iter().enumerate() {
            for col in 0..5 {
                if bits & (0x10 >> col) == 0 {
                    continue;
                }
                for dy in 0..scale {
                    for dx in 0..scale - 1 {
                        let y = top + row as i32 * scale + dy;
                        let x = left + col * (scale - 1) + dx + shear * (3 - row as i32);
                        canvas.set(x, y, color);
                    }
                }
            }
        }
    }
    for _ in 0..120 {
        let gray = secret::range(110, 200) as u8;
        canvas.set(
            secret::range(0, WIDTH as i32),
            secret::range(0, HEIGHT as i32),
            [gray, gray, gray],
        );
    }
    canvas.bmp()
}

fn answer_hash(id: &str, answer: &str) -> String {
    secret::hash(&["captcha", id, &answer.trim().to_uppercase()])
}

/// A new captcha: its id, the image as a data URL, and (for the insecure test hook) the answer.
pub async fn create(state: &AppState) -> Result<(String, String, String)> {
    let text: String = (0..LENGTH)
        .map(|_| char::from(secret::pick(ALPHABET)))
        .collect();
    let id = secret::random_token(16);
    let now = state.clock.now().timestamp();
    sqlx::query("DELETE FROM captchas WHERE expires_at < $1")
        .bind(now - LIFETIME_SECONDS)
        .execute(&state.db.pool)
        .await?;
    sqlx::query("INSERT INTO captchas (id, answer_hash, expires_at) VALUES ($1, $2, $3)")
        .bind(&id)
        .bind(answer_hash(&id, &text))
        .bind(now + LIFETIME_SECONDS)
        .execute(&state.db.pool)
        .await?;
    let image = format!("data:image/bmp;base64,{}", STANDARD.encode(draw(&text)));
    Ok((id, image, text))
}

/// Checks and spends a captcha: wrong, used or expired are all refused; any attempt uses it up.
pub async fn check(state: &AppState, id: &str, answer: &str) -> Result<()> {
    let refused = |code: &str, message: &str| {
        Err(Error::bad_request(ApiError::field(
            "captcha",
            code,
            message.to_owned(),
        )))
    };
    if answer.trim().is_empty() {
        return refused("captcha_required", "请输入附加码");
    }
    let now = state.clock.now().timestamp();
    // Mark used first: of two racing requests only one can spend it.
    let spent =
        sqlx::query("UPDATE captchas SET used = 1 WHERE id = $1 AND used = 0 AND expires_at >= $2")
            .bind(id)
            .bind(now)
            .execute(&state.db.pool)
            .await?
            .rows_affected();
    if spent == 0 {
        return refused(
            "captcha_expired",
            "附加码已失效，请点击“看不清，换一张”重新获取",
        );
    }
    let stored: Option<String> =
        sqlx::query_scalar("SELECT answer_hash FROM captchas WHERE id = $1")
            .bind(id)
            .fetch_optional(&state.db.pool)
            .await?;
    match stored {
        Some(hash) if secret::same(&hash, &answer_hash(id, answer)) => Ok(()),
        _ => refused("captcha_wrong", "附加码不正确，请重新输入"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_image_is_a_bmp_of_the_right_size() {
        let bmp = draw("AB23");
        assert_eq!(&bmp[..2], b"BM");
        assert_eq!(bmp.len(), 54 + 360 * HEIGHT);
        assert_eq!(
            u32::from_le_bytes(bmp[2..6].try_into().unwrap()) as usize,
            bmp.len()
        );
        // Something was drawn besides the background.
        let background = [250u8, 248, 246];
        assert!(bmp[54..].chunks(3).filter(|p| *p != background).count() > 300);
    }

    #[test]
    fn answers_are_case_insensitive_and_bound_to_their_captcha() {
        assert_eq!(answer_hash("id", "ab2c"), answer_hash("id", " AB2C "));
        assert_ne!(answer_hash("id", "AB2C"), answer_hash("other", "AB2C"));
        assert!(ALPHABET.iter().all(|c| glyph(*c) != [0; 7]));
    }
}
