/* peak-rss.c — test helper: runs a command and writes its peak resident
 * memory in kB (the kernel's ru_maxrss of the child) to a file, so a shell
 * test can assert a memory bound without /usr/bin/time.
 *
 *   peak-rss FILE COMMAND [ARGS...]
 *
 * The command's output passes through; the exit status is the command's (128
 * + the signal when it was killed), or 127 when it could not be started. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	int status = 0;
	pid_t pid;
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: peak-rss FILE COMMAND [ARGS...]\n");
		return 2;
	}
	pid = fork();
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror("peak-rss: exec");
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) {
		perror("peak-rss");
		return 127;
	}
	f = fopen(argv[1], "w");
	if (f) {
		fprintf(f, "%ld\n", ru.ru_maxrss);
		fclose(f);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
