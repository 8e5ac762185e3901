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
/// Captchas alive at once, all clients together: beyond it the hall is busy (a flood is not
/// allowed to fill the database).
const MAX_ALIVE: i64 = 100_000;
const WIDTH: usize = 160;
const HEIGHT: usize = 56;

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

/// One character as drawn: where, how large, turned how far, in which "font".
struct Placed {
    glyph: [u8; 7],
    centre: (f64, f64),
    /// Pixels per glyph cell, across and down (the two differ: narrow and wide letters).
    cell: (f64, f64),
    /// Rotation in radians.
    angle: f64,
    /// Stroke shape: 0 rounded, 1 square, 2 oblique — three "fonts".
    style: u8,
    /// How much of a cell a rounded stroke fills (lighter to bolder).
    weight: f64,
    color: [u8; 3],
}

fn uniform(low: f64, high: f64) -> f64 {
    low + (high - low) * f64::from(secret::range(0, 10_000)) / 10_000.0
}

impl Placed {
    /// Whether the picture point `(x, y)` is ink of this character: mapped back into the glyph's
    /// own grid by the inverse rotation and scale, then tested against the stroke shape.
    fn covers(&self, x: f64, y: f64) -> bool {
        let (dx, dy) = (x - self.centre.0, y - self.centre.1);
        let (sin, cos) = self.angle.sin_cos();
        let (u, v) = (dx * cos + dy * sin, -dx * sin + dy * cos);
        let (mut gx, gy) = (u / self.cell.0 + 2.5, v / self.cell.1 + 3.5);
        if self.style == 2 {
            // Oblique: the top leans right.
            gx -= (3.5 - gy) * 0.22;
        }
        if !(0.0..5.0).contains(&gx) || !(0.0..7.0).contains(&gy) {
            return false;
        }
        let (col, row) = (gx as usize, gy as usize);
        if self.glyph[row] & (0x10 >> col) == 0 {
            return false;
        }
        let (fx, fy) = (gx.fract() - 0.5, gy.fract() - 0.5);
        // Whole cells (strokes stay joined), the rounded font with its corners cut.
        self.style != 0 || fx * fx + fy * fy <= self.weight
    }
}

/// Draws `text`: each character rotated, scaled, spaced and stroked differently (three stroke
/// "fonts", thin to bold), the whole picture bent by two waves, with curves drawn across the
/// characters in their own colours and speckle — so the glyph table of the font no longer reads
/// it by template (tested below), while a person still does, at 关怀版's size too.
pub fn draw(text: &str) -> Vec<u8> {
    let mut canvas = Canvas::new();
    let palette = [
        [20, 60, 140],
        [150, 30, 30],
        [30, 110, 50],
        [90, 40, 120],
        [40, 40, 40],
        [160, 80, 0],
    ];
    // The characters, left to right with uneven gaps.
    let mut x = uniform(17.0, 22.0);
    let placed: Vec<Placed> = text
        .bytes()
        .map(|c| {
            let cell = (uniform(4.3, 5.4), uniform(4.6, 5.6));
            let p = Placed {
                glyph: glyph(c),
                centre: (x, f64::from(HEIGHT as u32) / 2.0 + uniform(-5.0, 5.0)),
                cell,
                angle: uniform(-0.25, 0.25),
                style: secret::range(0, 3) as u8,
                weight: uniform(0.36, 0.5),
                color: secret::pick(&palette),
            };
            x += cell.0 * 5.0 + uniform(5.0, 11.0);
            p
        })
        .collect();
    // Two waves bend the whole picture (a different one every time).
    let (amp_y, period_y, phase_y) = (uniform(1.5, 3.0), uniform(40.0, 70.0), uniform(0.0, 6.3));
    let (amp_x, period_x, phase_x) = (uniform(0.8, 1.6), uniform(24.0, 40.0), uniform(0.0, 6.3));
    for py in 0..HEIGHT {
        for px in 0..WIDTH {
            let (fx, fy) = (px as f64, py as f64);
            let sx = fx + amp_x * (fy / period_x * std::f64::consts::TAU + phase_x).sin();
            let sy = fy + amp_y * (fx / period_y * std::f64::consts::TAU + phase_y).sin();
            if let Some(p) = placed.iter().find(|p| p.covers(sx, sy)) {
                canvas.set(px as i32, py as i32, p.color);
            }
        }
    }
    // Curves across the characters, each in one of the characters' colours, so they cannot be
    // told from the text by colour alone.
    for _ in 0..2 {
        let color = placed
            .get(secret::range(0, placed.len().max(1) as i32) as usize)
            .map_or([60, 60, 60], |p| p.color);
        let (base, amp, period, phase) = (
            uniform(12.0, f64::from(HEIGHT as u32) - 12.0),
            uniform(3.0, 8.0),
            uniform(50.0, 110.0),
            uniform(0.0, 6.3),
        );
        let mut last = None;
        for px in 0..WIDTH as i32 {
            let y = base + amp * (f64::from(px) / period * std::f64::consts::TAU + phase).sin();
            let point = (px, y.round() as i32);
            if let Some(from) = last {
                canvas.line(from, point, color);
            }
            last = Some(point);
        }
    }
    for _ in 0..300 {
        let gray = secret::range(90, 210) as u8;
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
/// At most `per_minute` a client address a minute, and [`MAX_ALIVE`] alive in all.
pub async fn create(state: &AppState, client_ip: &str) -> Result<(String, String, String)> {
    let now = state.clock.now().timestamp();
    sqlx::query("DELETE FROM captchas WHERE expires_at < $1")
        .bind(now - LIFETIME_SECONDS)
        .execute(&state.db.pool)
        .await?;
    // Created within the last minute: it expires more than a minute from now.
    let recent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM captchas WHERE client_ip = $1 AND expires_at > $2",
    )
    .bind(client_ip)
    .bind(now + LIFETIME_SECONDS - 60)
    .fetch_one(&state.db.pool)
    .await?;
    if recent >= i64::from(state.accounts.captchas_per_minute) {
        return Err(Error::Refused(
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            ApiError::field(
                "captcha",
                "captcha_rate_limited",
                "获取附加码过于频繁，请稍后再试",
            ),
        ));
    }
    let alive: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM captchas WHERE expires_at >= $1")
        .bind(now)
        .fetch_one(&state.db.pool)
        .await?;
    if alive >= MAX_ALIVE {
        return Err(super::busy());
    }
    let text: String = (0..LENGTH)
        .map(|_| char::from(secret::pick(ALPHABET)))
        .collect();
    let id = secret::random_token(16);
    sqlx::query(
        "INSERT INTO captchas (id, answer_hash, expires_at, client_ip) VALUES ($1, $2, $3, $4)",
    )
    .bind(&id)
    .bind(answer_hash(&id, &text))
    .bind(now + LIFETIME_SECONDS)
    .bind(client_ip)
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
mod tests;
