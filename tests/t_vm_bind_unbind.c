// SPDX-License-Identifier: GPL-2.0-only
/*
 * vm_bind_unbind: a new VM is reported usable; a BO is mapped, unmapped
 * and mapped again at the same VA; mapping part of a mapped range with
 * other flags (a remap) succeeds; unmapping a range with nothing in it
 * succeeds; the VM is still usable afterwards; once destroyed, its id is
 * unknown to VM_GET_STATE and VM_DESTROY (EINVAL).
 */
#include "common.h"

int main(void)
{
	int fd = open_render();
	uint32_t vm = vm_create(fd);
	uint32_t bo = bo_create(fd, 0x10000, 0, 0);
	struct drm_panthor_vm_get_state st = { .vm_id = vm };
	struct drm_panthor_vm_destroy d = { .id = vm };

	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &st);
	CHECK(st.state == DRM_PANTHOR_VM_STATE_USABLE, "new VM state %u", st.state);

	vm_map(fd, vm, bo, 0x1000000, 0x10000, 0);
	vm_unmap(fd, vm, 0x1000000, 0x10000);
	vm_map(fd, vm, bo, 0x1000000, 0x10000, DRM_PANTHOR_VM_BIND_OP_MAP_READONLY);
	/* Remapping part of the range with other flags splits the mapping. */
	vm_map(fd, vm, bo, 0x1004000, 0x4000, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	vm_unmap(fd, vm, 0x1000000, 0x10000);
	/* Unmapping nothing is fine. */
	vm_unmap(fd, vm, 0x2000000, 0x1000);

	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &st);
	CHECK(st.state == DRM_PANTHOR_VM_STATE_USABLE, "VM state %u after binds", st.state);

	bo_close(fd, bo);
	CHECK_IOCTL(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &d);
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &st, EINVAL);
	CHECK_ERRNO(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &d, EINVAL);
	printf("ok\n");
	return 0;
}
