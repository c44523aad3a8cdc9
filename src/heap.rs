//! The wasm heap: a segregated free-list allocator (power-of-two size classes, one free list per
//! class, a bump region grown a page at a time). It is a tenth of the code of a general-purpose
//! allocator, which every visitor downloads, and a chat widget's allocations (strings, short
//! vectors, one transcript) suit it: a freed block is reused by the next block of its class, so
//! memory stays bounded by about twice the live peak per class. Its logic is plain code over
//! addresses, tested natively on a leaked arena; the shell installs it as the global allocator.

/// Smallest block: one free-list link.
const MIN: usize = 8;
/// Classes 8 B ..= 2 GiB.
const CLASSES: usize = usize::BITS as usize - 3;

/// Where new memory comes from: `pages(n)` adds n 64 KiB pages and returns the address of the
/// first, or `None` when memory cannot grow.
pub trait Grow {
    fn pages(&mut self, n: usize) -> Option<usize>;
}

pub const PAGE: usize = 65_536;

pub struct Heap {
    free: [usize; CLASSES],
    bump: usize,
    end: usize,
}

/// The class index and block size for a request.
fn class(size: usize, align: usize) -> (usize, usize) {
    let block = size.max(align).max(MIN).next_power_of_two();
    (block.trailing_zeros() as usize - 3, block)
}

impl Heap {
    pub const fn new() -> Self {
        Heap { free: [0; CLASSES], bump: 0, end: 0 }
    }

    /// A block of at least `size` bytes aligned to `align`, or null.
    ///
    /// # Safety
    /// `align` is a power of two; memory handed out by `grow` is owned by this heap.
    pub unsafe fn alloc(&mut self, size: usize, align: usize, grow: &mut impl Grow) -> *mut u8 {
        let (c, block) = class(size, align);
        let Some(head) = self.free.get_mut(c) else { return core::ptr::null_mut() };
        // Free blocks are MIN-aligned at least; a stricter alignment always takes fresh memory.
        if *head != 0 && align <= MIN {
            let p = *head;
            *head = *(p as *const usize);
            return p as *mut u8;
        }
        let align = align.max(MIN);
        let mut start = (self.bump + align - 1) & !(align - 1);
        if start < self.bump || start.checked_add(block).is_none_or(|e| e > self.end) {
            // One page more than the block needs, so small blocks do not grow memory each time.
            let pages = block.div_ceil(PAGE) + 1;
            let Some(base) = grow.pages(pages) else { return core::ptr::null_mut() };
            if base != self.end {
                // Not contiguous with the current region (or the first growth): start afresh.
                self.bump = base;
            }
            self.end = base + pages * PAGE;
            start = (self.bump + align - 1) & !(align - 1);
        }
        self.bump = start + block;
        start as *mut u8
    }

    /// Returns a block to its class's free list.
    ///
    /// # Safety
    /// `ptr` came from `alloc` with the same `size` and `align`, and is not used again.
    pub unsafe fn dealloc(&mut self, ptr: *mut u8, size: usize, align: usize) {
        let (c, _) = class(size, align);
        if let Some(head) = self.free.get_mut(c) {
            *(ptr as *mut usize) = *head;
            *head = ptr as usize;
        }
    }

    /// Grows or shrinks a block; it stays in place while it stays in its class.
    ///
    /// # Safety
    /// As for `dealloc`, and `new_size` is not zero.
    pub unsafe fn realloc(&mut self, ptr: *mut u8, size: usize, align: usize, new_size: usize, grow: &mut impl Grow) -> *mut u8 {
        if class(size, align).1 == class(new_size, align).1 {
            return ptr;
        }
        let new = self.alloc(new_size, align, grow);
        if !new.is_null() {
            core::ptr::copy_nonoverlapping(ptr, new, size.min(new_size));
            self.dealloc(ptr, size, align);
        }
        new
    }
}

impl Default for Heap {
    fn default() -> Self {
        Heap::new()
    }
}

#[cfg(target_arch = "wasm32")]
pub mod global {
    //! The heap as the wasm module's global allocator (single-threaded: wasm32 without threads).
    use super::{Grow, Heap, PAGE};
    use core::alloc::{GlobalAlloc, Layout};
    use core::cell::UnsafeCell;

    struct Memory;

    impl Grow for Memory {
        fn pages(&mut self, n: usize) -> Option<usize> {
            let before = core::arch::wasm32::memory_grow(0, n);
            (before != usize::MAX).then_some(before * PAGE)
        }
    }

    #[derive(Default)]
    pub struct Global(UnsafeCell<Heap>);

    // SAFETY: wasm32-unknown-unknown without the atomics feature runs one thread.
    unsafe impl Sync for Global {}

    impl Global {
        pub const fn new() -> Self {
            Global(UnsafeCell::new(Heap::new()))
        }
    }

    unsafe impl GlobalAlloc for Global {
        unsafe fn alloc(&self, l: Layout) -> *mut u8 {
            (*self.0.get()).alloc(l.size(), l.align(), &mut Memory)
        }
        unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
            (*self.0.get()).dealloc(p, l.size(), l.align())
        }
        unsafe fn realloc(&self, p: *mut u8, l: Layout, new_size: usize) -> *mut u8 {
            (*self.0.get()).realloc(p, l.size(), l.align(), new_size, &mut Memory)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Grow, Heap, PAGE};

    /// A fixed arena handed out page by page, like `memory.grow`.
    struct Arena {
        base: usize,
        used: usize,
        pages: usize,
    }

    impl Arena {
        fn new(pages: usize) -> Self {
            let layout = std::alloc::Layout::from_size_align(pages * PAGE, PAGE).unwrap();
            let base = unsafe { std::alloc::alloc_zeroed(layout) } as usize;
            assert_ne!(base, 0);
            Arena { base, used: 0, pages }
        }
    }

    impl Grow for Arena {
        fn pages(&mut self, n: usize) -> Option<usize> {
            if self.used + n > self.pages {
                return None;
            }
            self.used += n;
            Some(self.base + (self.used - n) * PAGE)
        }
    }

    #[test]
    fn blocks_are_aligned_disjoint_and_reused_by_class() {
        let mut arena = Arena::new(64);
        let mut heap = Heap::new();
        let mut live: Vec<(usize, usize, usize)> = Vec::new();
        for (i, &(size, align)) in [(1, 1), (7, 1), (8, 8), (24, 8), (100, 4), (3000, 8), (5, 32), (70_000, 8), (16, 16)].iter().enumerate() {
            let p = unsafe { heap.alloc(size, align, &mut arena) } as usize;
            assert!(p != 0 && p % align == 0, "alloc {size}/{align}");
            for &(q, qs, _) in &live {
                assert!(p + size <= q || q + qs <= p, "block {i} overlaps another");
            }
            unsafe { std::ptr::write_bytes(p as *mut u8, i as u8, size) };
            live.push((p, size, align));
        }
        // Every block still holds what was written to it.
        for (i, &(p, size, _)) in live.iter().enumerate() {
            assert!(unsafe { std::slice::from_raw_parts(p as *const u8, size) }.iter().all(|&b| b == i as u8));
        }
        // A freed block is the next one handed out for its class, and only for its class.
        let (p, size, align) = live[4];
        unsafe { heap.dealloc(p as *mut u8, size, align) };
        assert_ne!(unsafe { heap.alloc(40, 8, &mut arena) } as usize, p, "64 B class is not the 128 B class");
        assert_eq!(unsafe { heap.alloc(120, 8, &mut arena) } as usize, p);
    }

    #[test]
    fn realloc_keeps_the_contents_and_stays_in_place_within_a_class() {
        let mut arena = Arena::new(8);
        let mut heap = Heap::new();
        let p = unsafe { heap.alloc(20, 4, &mut arena) };
        unsafe { std::ptr::copy_nonoverlapping(b"twenty bytes, exactly".as_ptr(), p, 20) };
        assert_eq!(unsafe { heap.realloc(p, 20, 4, 32, &mut arena) }, p, "20 and 32 share the 32 B class");
        let q = unsafe { heap.realloc(p, 32, 4, 33, &mut arena) };
        assert_ne!(q, p);
        assert_eq!(unsafe { std::slice::from_raw_parts(q, 20) }, b"twenty bytes, exactl");
        // The old block went back to its list.
        assert_eq!(unsafe { heap.alloc(30, 1, &mut arena) }, p);
    }

    #[test]
    fn a_steady_workload_stops_growing_and_exhaustion_is_null_not_a_crash() {
        let mut arena = Arena::new(16);
        let mut heap = Heap::new();
        for round in 0..10_000usize {
            let size = 1 + (round * 7919) % 5000;
            let p = unsafe { heap.alloc(size, 1, &mut arena) };
            assert!(!p.is_null());
            unsafe { heap.dealloc(p, size, 1) };
        }
        assert!(arena.used <= 2, "freed blocks are reused: {} pages", arena.used);
        assert!(unsafe { heap.alloc(40 * PAGE, 8, &mut arena) }.is_null());
    }
}
