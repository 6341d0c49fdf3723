// SPDX-License-Identifier: GPL-2.0
/*
 * kdumplab: the lab's crash provoker (lab/README.md, "The test module"). Debian's kernel has no LKDTM
 * (CONFIG_LKDTM is not set), so the lab builds this module against the matching linux-headers package
 * and dom0's /init loads it INSIDE THE QEMU GUEST ONLY, after the collector ran and the lab's trigger
 * marker was printed. Never load it anywhere else: it breaks the kernel on purpose.
 *
 *   insmod kdumplab.ko mode=oops
 *       Kernel thread "kdumplab-oops" takes the semaphore kdumplab_sem and, holding it, writes through
 *       a NULL pointer in kdumplab_oops(): "BUG: kernel NULL pointer dereference", an Oops in a kernel
 *       thread. With kernel.panic_on_oops=1 the Oops panics ("Fatal exception"). With 0 the thread is
 *       killed and the kernel carries on with kdumplab_sem held forever: kernel thread "kdumplab-wait"
 *       then blocks in down(&kdumplab_sem), in D state, as the incident's tasks piled up behind the
 *       lock its Oops left held.
 *   insmod kdumplab.ko mode=hang
 *       Kernel thread "kdumplab-hold" takes kdumplab_sem and sleeps forever, interruptibly (S state,
 *       which the hung-task detector ignores); "kdumplab-wait" blocks in down(&kdumplab_sem) in D
 *       state. khungtaskd reports it after kernel.hung_task_timeout_secs ("INFO: task kdumplab-wait:N
 *       blocked for more than N seconds."), and panics with kernel.hung_task_panic=1.
 *
 * A semaphore, not a mutex: a mutex waiter may spin on its owner's task_struct, which in mode=oops
 * belongs to a thread that died; a semaphore has no owner. insmod returns as soon as the threads run.
 * The module has no exit function, so it cannot be unloaded.
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/semaphore.h>

static char *mode = "";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "oops: an Oops in a kernel thread holding kdumplab_sem; hang: a thread blocked forever on kdumplab_sem");

static DEFINE_SEMAPHORE(kdumplab_sem);
static int *kdumplab_null; /* stays NULL */

static noinline void kdumplab_oops(void)
{
	pr_emerg("kdumplab: kdumplab_oops() writes through a NULL pointer, holding kdumplab_sem\n");
	WRITE_ONCE(*kdumplab_null, 0x6b);
}

static int kdumplab_oops_thread(void *unused)
{
	down(&kdumplab_sem);
	kdumplab_oops();
	up(&kdumplab_sem); /* not reached */
	return 0;
}

static int kdumplab_hold_thread(void *unused)
{
	down(&kdumplab_sem);
	pr_emerg("kdumplab: kdumplab-hold took kdumplab_sem and sleeps forever without releasing it\n");
	for (;;)
		schedule_timeout_interruptible(MAX_SCHEDULE_TIMEOUT);
	return 0;
}

static int kdumplab_wait_thread(void *unused)
{
	msleep(2000); /* the other thread has taken kdumplab_sem (and, in mode=oops, oopsed) */
	pr_emerg("kdumplab: kdumplab-wait blocks in down(&kdumplab_sem), uninterruptibly (D state)\n");
	down(&kdumplab_sem);
	pr_emerg("kdumplab: kdumplab-wait got kdumplab_sem (not expected)\n");
	up(&kdumplab_sem);
	return 0;
}

static int __init kdumplab_init(void)
{
	int (*first)(void *);
	const char *name;

	if (!strcmp(mode, "oops")) {
		first = kdumplab_oops_thread;
		name = "kdumplab-oops";
	} else if (!strcmp(mode, "hang")) {
		first = kdumplab_hold_thread;
		name = "kdumplab-hold";
	} else {
		pr_err("kdumplab: mode=oops or mode=hang\n");
		return -EINVAL;
	}
	pr_emerg("kdumplab: mode=%s: starting %s and kdumplab-wait\n", mode, name);
	if (IS_ERR(kthread_run(first, NULL, "%s", name)))
		return -ENOMEM;
	if (IS_ERR(kthread_run(kdumplab_wait_thread, NULL, "kdumplab-wait")))
		return -ENOMEM;
	return 0;
}
module_init(kdumplab_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kdumpcheck lab only: an Oops or a hang on demand, inside the lab's QEMU guest");
