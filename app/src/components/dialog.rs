//! A modal dialog as WAI-ARIA's dialog pattern asks: `role="dialog"`, `aria-modal`, labelled by
//! its heading; the focus moves into it when it opens, Tab and Shift+Tab stay inside, Escape
//! closes it, and the focus returns to the control that opened it.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};

const FOCUSABLE: &str =
    "button:not([disabled]), a[href], input:not([disabled]), select:not([disabled]), textarea";

fn active_element() -> Option<HtmlElement> {
    web_sys::window()?
        .document()?
        .active_element()?
        .dyn_into::<HtmlElement>()
        .ok()
}

fn focusables(root: &HtmlElement) -> Vec<HtmlElement> {
    let Ok(list) = root.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<HtmlElement>().ok())
        .collect()
}

#[component]
pub fn Modal(
    open: RwSignal<bool>,
    /// The id of the dialog's heading, which names it.
    labelled_by: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Div>::new();
    // The control that had the focus when the dialog opened (captured before the dialog takes
    // it), and whether the focus has been moved in.
    let opener = StoredValue::new_local(None::<HtmlElement>);
    let state = StoredValue::new((false, false));
    Effect::new(move |_| {
        let (captured, focused) = state.get_value();
        match (open.get(), dialog.get()) {
            (true, root) => {
                if !captured {
                    opener.set_value(active_element());
                }
                let moved = match root {
                    Some(root) if !focused => {
                        if let Some(first) = focusables(&root).first() {
                            let _ = first.focus();
                        }
                        // Focusing the first control (often 确定, at the bottom) scrolls a tall
                        // dialog down: it opens at its top, the title and figures in view.
                        root.set_scroll_top(0);
                        if let Some(backdrop) = root.parent_element() {
                            backdrop.set_scroll_top(0);
                        }
                        true
                    }
                    _ => focused,
                };
                state.set_value((true, moved));
            }
            (false, _) if captured => {
                state.set_value((false, false));
                if let Some(opener) = opener.get_value() {
                    let _ = opener.focus();
                }
            }
            _ => {}
        }
    });
    let on_keydown = move |ev: KeyboardEvent| {
        let Some(root) = dialog.get_untracked() else {
            return;
        };
        match ev.key().as_str() {
            "Escape" => {
                ev.prevent_default();
                open.set(false);
            }
            "Tab" => {
                let controls = focusables(&root);
                let (Some(first), Some(last)) = (controls.first(), controls.last()) else {
                    ev.prevent_default();
                    return;
                };
                let active = active_element();
                let inside = active
                    .as_ref()
                    .is_some_and(|a| controls.iter().any(|c| c == a));
                if ev.shift_key() && (!inside || active.as_ref() == Some(first)) {
                    ev.prevent_default();
                    let _ = last.focus();
                } else if !ev.shift_key() && (!inside || active.as_ref() == Some(last)) {
                    ev.prevent_default();
                    let _ = first.focus();
                }
            }
            _ => {}
        }
    };
    view! {
        <Show when=move || open.get()>
            <div class="dialog-backdrop" on:keydown=on_keydown>
                <div class="dialog" role="dialog" aria-modal="true" aria-labelledby=labelled_by node_ref=dialog>
                    {children()}
                </div>
            </div>
        </Show>
    }
}
