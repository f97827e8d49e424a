//! Following a paginated AWS list to its end.

use std::future::Future;

use super::error::LiveError;

/// Pages fetched at most for one list: far beyond any real account, and a
/// stop for an endpoint that never ends a list.
const MAX_PAGES: usize = 100_000;

/// Calls `page` with `None`, then with each returned token until none is
/// returned, and concatenates the items. A token that comes back twice is an
/// error, not an endless loop.
pub(crate) async fn all_pages<T, F, Fut>(
    operation: &'static str,
    mut page: F,
) -> Result<Vec<T>, LiveError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), LiveError>>,
{
    let mut items = Vec::new();
    let mut token: Option<String> = None;
    let mut seen = std::collections::HashSet::new();
    for _ in 0..MAX_PAGES {
        let (mut batch, next) = page(token.take()).await?;
        items.append(&mut batch);
        match next {
            None => return Ok(items),
            Some(next) if !seen.insert(next.clone()) => {
                return Err(LiveError::Other {
                    operation,
                    detail: format!("the endpoint returned the page token `{next}` twice"),
                });
            }
            Some(next) => token = Some(next),
        }
    }
    Err(LiveError::Other {
        operation,
        detail: format!("more than {MAX_PAGES} pages"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn follows_tokens_to_the_end() {
        let pages = [
            (vec![1, 2], Some("a")),
            (vec![3], Some("b")),
            (vec![4], None),
        ];
        let items = block_on(all_pages("op", |token| {
            let i = match token.as_deref() {
                None => 0,
                Some("a") => 1,
                _ => 2,
            };
            let (items, next) = pages[i].clone();
            async move { Ok((items, next.map(str::to_owned))) }
        }))
        .unwrap();
        assert_eq!(items, [1, 2, 3, 4]);
    }

    #[test]
    fn a_repeated_token_is_an_error() {
        let err = block_on(all_pages("op", |_| async {
            Ok((vec![0], Some("same".to_owned())))
        }))
        .unwrap_err();
        assert!(err.to_string().contains("twice"), "{err}");
    }
}
