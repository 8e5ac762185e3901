//! The captcha's tests: the drawing, the answers, and the template attack it must defeat.
use super::*;

#[test]
fn the_image_is_a_bmp_of_the_right_size() {
    let bmp = draw("AB23");
    assert_eq!(&bmp[..2], b"BM");
    assert_eq!(bmp.len(), 54 + WIDTH * 3 * HEIGHT);
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

/// The drawing before this one (5×7 cells ×4, a shear of at most one pixel), kept to show the
/// decoder below is a real one: it reads these.
fn legacy_draw(text: &str) -> Vec<u8> {
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

/// The ink of a BMP as `draw` writes it: pixels clearly darker than the background.
fn ink(bmp: &[u8]) -> Vec<Vec<bool>> {
    let row = (WIDTH * 3).div_ceil(4) * 4;
    (0..HEIGHT)
        .map(|y| {
            let line = &bmp[54 + (HEIGHT - 1 - y) * row..];
            (0..WIDTH)
                .map(|x| {
                    let p = &line[x * 3..x * 3 + 3];
                    p.iter().map(|&v| u32::from(v)).sum::<u32>() < 3 * 180
                })
                .collect()
        })
        .collect()
}

/// The attack the old captcha fell to: each letter of the alphabet drawn from the glyph
/// table at the font's size (5×7 cells of 3×4 pixels, upright or slanted by the old font's
/// one pixel per row either way), slid over the picture; at each of the four places from
/// the left the best-scoring letter is taken. Score: ink where the letter has ink, minus
/// ink missing from it and ink in its box that it does not have. Rows are 32-pixel bit
/// windows, so the search is fast enough for 200 pictures in a debug build.
#[allow(clippy::needless_range_loop)] // `left` and `top` are coordinates, not just indices
fn decode(bmp: &[u8]) -> String {
    const BOX: (i32, i32) = (21, 28);
    let ink = ink(bmp);
    // window[y][x]: the ink of row y from x on, one bit a pixel.
    let window: Vec<Vec<u32>> = ink
        .iter()
        .map(|row| {
            (0..WIDTH)
                .map(|x| {
                    (0..32)
                        .filter(|i| row.get(x + i) == Some(&true))
                        .map(|i| 1u32 << i)
                        .sum()
                })
                .collect()
        })
        .collect();
    // Ink counts of every rectangle from an integral image.
    let mut sum = vec![vec![0i32; WIDTH + 1]; HEIGHT + 1];
    for y in 0..HEIGHT {
        for x in 0..WIDTH {
            sum[y + 1][x + 1] = sum[y][x + 1] + sum[y + 1][x] - sum[y][x] + i32::from(ink[y][x]);
        }
    }
    let box_ink = |left: usize, top: usize| {
        let (r, b) = (
            (left + BOX.0 as usize).min(WIDTH),
            (top + BOX.1 as usize).min(HEIGHT),
        );
        sum[b][r] - sum[top][r] - sum[b][left] + sum[top][left]
    };
    let templates: Vec<(u8, [u32; 28], i32)> = ALPHABET
        .iter()
        .flat_map(|&c| (-1..=1).map(move |shear| (c, shear)))
        .map(|(c, shear)| {
            let mut rows = [0u32; 28];
            for (row, bits) in glyph(c).iter().enumerate() {
                for col in 0..5 {
                    if bits & (0x10 >> col) != 0 {
                        for dy in 0..4 {
                            for dx in 0..3 {
                                let x = 3 + col * 3 + dx + shear * (3 - row as i32);
                                rows[row * 4 + dy] |= 1 << x;
                            }
                        }
                    }
                }
            }
            let cells = rows.iter().map(|r| r.count_ones() as i32).sum();
            (c, rows, cells)
        })
        .collect();
    let mut text = String::new();
    let mut from = 0usize;
    for _ in 0..LENGTH {
        let mut best = (i32::MIN, b'?', from);
        // The next letter within a letter's width or so (the old layout's pitch was 27).
        for left in from..(from + 22).min(WIDTH) {
            for top in 0..(HEIGHT - BOX.1 as usize) {
                let boxed = box_ink(left, top);
                for (c, rows, cells) in &templates {
                    let hits: i32 = rows
                        .iter()
                        .enumerate()
                        .map(|(r, bits)| (window[top + r][left] & bits).count_ones() as i32)
                        .sum();
                    let score = 3 * hits - cells - boxed;
                    if score > best.0 {
                        best = (score, *c, left);
                    }
                }
            }
        }
        text.push(char::from(best.1));
        from = best.2 + 15;
    }
    text
}

fn random_text() -> String {
    (0..LENGTH)
        .map(|_| char::from(secret::pick(ALPHABET)))
        .collect()
}

#[test]
fn the_glyph_templates_read_the_old_drawing_but_not_this_one() {
    let old = (0..20)
        .filter(|_| {
            let text = random_text();
            decode(&legacy_draw(&text)) == text
        })
        .count();
    // The decoder is a real one: it reads the old captcha (the attack read 12 of 12).
    assert!(old >= 16, "the decoder read {old} of 20 old captchas");
    let new = (0..200)
        .filter(|_| {
            let text = random_text();
            decode(&draw(&text)) == text
        })
        .count();
    assert!(
        new <= 10,
        "{new} of 200 captchas decoded (at most 5 % allowed)"
    );
}
