// SPDX-License-Identifier: GPL-2.0-only
/*
 * tiler_heap_invalid_args: TILER_HEAP_CREATE and TILER_HEAP_DESTROY answer
 * bad arguments as panthor does, and a refused call changes nothing.
 * CREATE: chunk_size 0, not page aligned, below 128 KiB or above 8 MiB,
 * initial_chunk_count 0 or above max_chunks, an unknown vm_id: EINVAL. A
 * page-aligned chunk size that is not a power of two (192 KiB) and
 * target_in_flight 0 or 0xffffffff are accepted (the uAPI asks for none
 * of these to be refused). DESTROY: an unknown handle, a handle of an
 * unknown VM, non-zero padding: EINVAL; the heap's id under another VM
 * that has no heaps: ENOENT (panthor finds no heap pool there). Nothing changed:
 * after the refusals, a heap created first still works (the GPU reads its
 * chunk), on panthor the next heap gets the same handle as one created
 * before the refusals (no id was used up), and a destroy refused for its
 * padding leaves the heap to a proper destroy.
 */
#include "heap.h"

#define K128	(128u * 1024)

static void refuse_create(int fd, uint32_t vm, uint32_t chunk, uint32_t initial, uint32_t max,
			  uint32_t in_flight, int want, const char *what)
{
	int r = heap_create_ret(fd, vm, chunk, initial, max, in_flight, NULL);

	printf("create with %s: %s\n", what, r ? strerror(-r) : "success");
	CHECK(r == -want, "create with %s: got %s, want %s", what, r ? strerror(-r) : "success",
	      strerror(want));
}

static void accept_create(int fd, uint32_t vm, uint32_t chunk, uint32_t initial, uint32_t max,
			  uint32_t in_flight, const char *what)
{
	struct drm_panthor_tiler_heap_create h = {};
	int r = heap_create_ret(fd, vm, chunk, initial, max, in_flight, &h);

	printf("create with %s: %s\n", what, r ? strerror(-r) : "success");
	CHECK(!r, "create with %s: %s, panthor accepts it", what, strerror(-r));
	CHECK(!heap_destroy_ret(fd, h.handle), "destroy of the heap with %s failed", what);
}

int main(void)
{
	int fd = open_render();
	struct drm_panthor_tiler_heap_create h = {}, next = {};
	struct drm_panthor_tiler_heap_destroy d;
	struct job_ctx j;
	uint32_t other_vm, w[2], ref;
	int r;

	job_init(&j, fd);
	other_vm = vm_create(fd);
	heap_create_or_partial(fd, j.vm, K128, 1, 4, 1, &h);
	printf("heap: handle 0x%x\n", h.handle);
	/* The handle a create gets now (freed again at once). */
	CHECK(!heap_create_ret(fd, j.vm, K128, 1, 4, 1, &next), "a second create failed");
	ref = next.handle;
	CHECK(!heap_destroy_ret(fd, ref), "destroy of the second heap failed");

	refuse_create(fd, j.vm, 0, 1, 4, 1, EINVAL, "chunk_size 0");
	refuse_create(fd, j.vm, K128 + 1, 1, 4, 1, EINVAL, "chunk_size not page aligned");
	refuse_create(fd, j.vm, K128 + 2048, 1, 4, 1, EINVAL, "chunk_size 130 KiB");
	refuse_create(fd, j.vm, 64 * 1024, 1, 4, 1, EINVAL, "chunk_size 64 KiB (below 128 KiB)");
	refuse_create(fd, j.vm, 8u << 20 | 4096, 1, 4, 1, EINVAL, "chunk_size 8 MiB + 4 KiB");
	refuse_create(fd, j.vm, 16u << 20, 1, 4, 1, EINVAL, "chunk_size 16 MiB");
	refuse_create(fd, j.vm, 0x80000000u, 1, 4, 1, EINVAL, "chunk_size 2 GiB");
	refuse_create(fd, j.vm, K128, 0, 4, 1, EINVAL, "initial_chunk_count 0");
	refuse_create(fd, j.vm, K128, 3, 2, 1, EINVAL, "initial_chunk_count 3 > max_chunks 2");
	refuse_create(fd, j.vm, K128, 1, 0, 1, EINVAL, "max_chunks 0");
	refuse_create(fd, j.vm + 100, K128, 1, 4, 1, EINVAL, "an unknown vm_id");
	refuse_create(fd, 0, K128, 1, 4, 1, EINVAL, "vm_id 0");

	/* Nothing changed: the heap made first is whole, no id was used up. */
	gpu_read(&j, h.first_heap_chunk_gpu_va, 2, w);
	CHECK(!w[0] && !w[1], "the heap's only chunk links 0x%x%08x after the refusals", w[1], w[0]);
	CHECK(!heap_create_ret(fd, j.vm, K128, 1, 4, 1, &next), "a valid create failed after the refusals");
	printf("next heap: handle 0x%x (before the refusals: 0x%x)\n", next.handle, ref);
	/* panthor reuses the lowest free id; another driver may not */
	CHECK(next.handle == ref || is_forseti(fd),
	      "the next heap's handle is 0x%x, was 0x%x before the refusals (ids used up by refused calls?)",
	      next.handle, ref);
	CHECK(!heap_destroy_ret(fd, next.handle), "destroy of the next heap failed");

	accept_create(fd, j.vm, 192 * 1024, 1, 4, 1, "chunk_size 192 KiB (not a power of two)");
	accept_create(fd, j.vm, 8u << 20, 1, 1, 1, "chunk_size 8 MiB");
	accept_create(fd, j.vm, K128, 2, 2, 1, "initial_chunk_count == max_chunks");
	accept_create(fd, j.vm, K128, 1, 4, 0, "target_in_flight 0");
	accept_create(fd, j.vm, K128, 1, 4, 0xffffffffu, "target_in_flight 0xffffffff");

	/* DESTROY */
	CHECK(heap_destroy_ret(fd, (j.vm << 16) | 77) == -EINVAL, "destroy of an unknown handle did not fail with EINVAL");
	CHECK(heap_destroy_ret(fd, ((j.vm + 100) << 16) | (h.handle & 0xffff)) == -EINVAL,
	      "destroy with an unknown VM did not fail with EINVAL");
	/* panthor: a VM that never had a heap has no heap pool: ENOENT */
	r = heap_destroy_ret(fd, (other_vm << 16) | (h.handle & 0xffff));
	CHECK(r == -ENOENT, "destroy with the heap's id under a VM without heaps: got %s, want %s",
	      r ? strerror(-r) : "success", strerror(ENOENT));
	d = (struct drm_panthor_tiler_heap_destroy){ .handle = h.handle, .pad = 1 };
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &d, EINVAL);
	gpu_read(&j, h.first_heap_chunk_gpu_va, 2, w);
	printf("the heap's chunk is still mapped after the refused destroys\n");
	CHECK(!heap_destroy_ret(fd, h.handle), "the heap was gone after refused destroys");
	CHECK(heap_destroy_ret(fd, h.handle) == -EINVAL, "a second destroy did not fail with EINVAL");

	vm_destroy(fd, other_vm);
	job_fini(&j);
	printf("ok\n");
	return 0;
}
