//! A first-in, first-out queue on two `Vec`s, for the core's effects and message queues and the
//! shell's jobs: amortised O(1) per item like `VecDeque`, for a fraction of its wasm (each
//! `VecDeque<T>` brings its own ring-buffer code; this is `Vec` code the module already has).

pub struct Fifo<T> {
    /// Newest last.
    back: Vec<T>,
    /// Oldest last: `back`, reversed, once `front` runs out.
    front: Vec<T>,
}

impl<T> Fifo<T> {
    pub const fn new() -> Self {
        Fifo { back: Vec::new(), front: Vec::new() }
    }

    pub fn push_back(&mut self, item: T) {
        self.back.push(item);
    }

    pub fn pop_front(&mut self) -> Option<T> {
        if self.front.is_empty() {
            std::mem::swap(&mut self.front, &mut self.back);
            self.front.reverse();
        }
        self.front.pop()
    }

    /// Replaces every queued `from` with `to`, in place.
    pub fn replace(&mut self, from: &T, to: &T)
    where
        T: PartialEq + Clone,
    {
        for item in self.front.iter_mut().chain(self.back.iter_mut()) {
            if item == from {
                *item = to.clone();
            }
        }
    }
}

impl<T> Default for Fifo<T> {
    fn default() -> Self {
        Fifo::new()
    }
}

#[cfg(test)]
mod tests {
    use super::Fifo;

    #[test]
    fn keeps_order_across_interleaved_pushes_and_pops() {
        let mut q = Fifo::new();
        let mut out = Vec::new();
        for i in 0..5 {
            q.push_back(i);
        }
        out.extend(q.pop_front());
        out.extend(q.pop_front());
        for i in 5..8 {
            q.push_back(i);
        }
        while let Some(x) = q.pop_front() {
            out.push(x);
            if x == 3 {
                q.push_back(8);
            }
        }
        assert_eq!(out, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(q.pop_front(), None);
    }
}
