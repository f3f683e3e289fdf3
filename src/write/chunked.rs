//! Large files rendered in parallel: the items are cut into chunks, a group
//! of chunks is rendered into buffers by every worker while the previous
//! group's buffers are written out in order. The bytes are those a serial
//! loop would write; the memory held is a few groups of buffers, whatever
//! the file's size.

use std::io::{self, Write};

use rayon::prelude::*;

/// Writes `render` of every `chunk` items of `items` to `out`, in order.
/// `render` is given the index of the chunk's first item in `items`, the
/// chunk, and the buffer to append its bytes to.
pub fn write_chunked<T, R>(
    out: &mut (dyn Write + Send),
    items: &[T],
    chunk: usize,
    render: R,
) -> io::Result<()>
where
    T: Sync,
    R: Fn(usize, &[T], &mut Vec<u8>) -> io::Result<()> + Sync,
{
    write_chunked_then(out, items, chunk, render, |_| {})
}

/// [`write_chunked`], calling `rendered` with the range of `items` of each
/// group once the group is rendered, while no chunk is: for letting go of
/// what the rendering read.
pub fn write_chunked_then<T, R, D>(
    out: &mut (dyn Write + Send),
    items: &[T],
    chunk: usize,
    render: R,
    mut rendered: D,
) -> io::Result<()>
where
    T: Sync,
    R: Fn(usize, &[T], &mut Vec<u8>) -> io::Result<()> + Sync,
    D: FnMut(std::ops::Range<usize>),
{
    let chunk = chunk.max(1);
    let group = chunk * rayon::current_num_threads().max(1) * 2;
    let render_group = |first: usize, items: &[T]| -> io::Result<Vec<Vec<u8>>> {
        items
            .par_chunks(chunk)
            .enumerate()
            .map(|(k, part)| {
                let mut buf = Vec::new();
                render(first + k * chunk, part, &mut buf)?;
                Ok(buf)
            })
            .collect()
    };
    let mut pending: Vec<Vec<u8>> = Vec::new();
    for (g, items) in items.chunks(group).enumerate() {
        let (written, group_bufs) = rayon::join(
            || pending.iter().try_for_each(|buf| out.write_all(buf)),
            || render_group(g * group, items),
        );
        written?;
        pending = group_bufs?;
        rendered(g * group..g * group + items.len());
    }
    pending.iter().try_for_each(|buf| out.write_all(buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_come_out_in_order_whatever_their_size() {
        let items: Vec<u32> = (0..10_007).collect();
        let serial: Vec<u8> = items
            .iter()
            .flat_map(|i| format!("{i},").into_bytes())
            .collect();
        for chunk in [1, 7, 64, 20_000] {
            let mut out = Vec::new();
            write_chunked(&mut out, &items, chunk, |first, part, buf| {
                for (k, i) in part.iter().enumerate() {
                    assert_eq!(first + k, *i as usize, "the index given is the item's");
                    write!(buf, "{i},")?;
                }
                Ok(())
            })
            .unwrap();
            assert_eq!(out, serial, "chunks of {chunk}");
        }
    }

    #[test]
    fn each_group_is_reported_once_rendered_in_order() {
        let items: Vec<u32> = (0..10_007).collect();
        let mut groups = Vec::new();
        let mut out = Vec::new();
        write_chunked_then(
            &mut out,
            &items,
            64,
            |_, part, buf| {
                buf.extend(part.iter().map(|i| *i as u8));
                Ok(())
            },
            |range| groups.push(range),
        )
        .unwrap();
        assert_eq!(groups.first().map(|r| r.start), Some(0));
        assert_eq!(groups.last().map(|r| r.end), Some(items.len()));
        assert!(groups.windows(2).all(|w| w[0].end == w[1].start));
        assert_eq!(out.len(), items.len());
    }

    #[test]
    fn a_render_error_stops_the_file() {
        let items: Vec<u32> = (0..100).collect();
        let mut out = Vec::new();
        let result = write_chunked(&mut out, &items, 10, |_, part, _| {
            if part.contains(&55) {
                Err(io::Error::other("bad chunk"))
            } else {
                Ok(())
            }
        });
        assert_eq!(result.unwrap_err().to_string(), "bad chunk");
    }
}
