/*
 * cluster.h: the processes of one MPI job (its ranks) working on one fit, and
 * the only module that calls MPI. Built with -DDESCEND_MPI (make MPI=1) it runs
 * on Open MPI; built without, it is the job of one process: rank 0 of 1, whose
 * reductions leave their arguments as they are, so that the rest of the program
 * calls it the same way in both builds.
 *
 * Every function below but cluster_launched, cluster_rank, cluster_size,
 * cluster_reduced_bytes and cluster_library is collective: each rank must call
 * it, in the same order, with the same counts.
 */
#ifndef DESCEND_CLUSTER_H
#define DESCEND_CLUSTER_H

#include <stddef.h>

#include "failure.h"

/*
 * Join the job (MPI_Init), once, before any other call; a second call does
 * nothing. On every rank but 0, standard output then goes to /dev/null and
 * standard error to a temporary file, so that a job prints each message once,
 * from rank 0; a rank that exits on its own (see cluster_finish) shows what it
 * wrote there before it ends the job. Without MPI, it does nothing.
 */
void cluster_init(int *argc, char ***argv);

/*
 * The processes mpirun started this one among, and this one's place in them
 * (*rank), read from the environment mpirun gives them (Open MPI's
 * OMPI_COMM_WORLD_SIZE and _RANK, or PMI_SIZE and PMI_RANK of MPICH and
 * Slurm), without joining the job: 1 and rank 0 when not started by mpirun.
 * In both builds, so that commands that do not use MPI, and a build without
 * it, can refuse to run as several copies. Not collective.
 */
int cluster_launched(int *rank);

/* This process's rank, from 0, and the ranks in the job (1 without MPI). */
int cluster_rank(void);
int cluster_size(void);

/*
 * Leave the job (MPI_Finalize) when every rank does, and return. A rank that
 * exits (exit(3)) without calling it leaves as well if every other rank exits
 * within CLUSTER_EXIT_WAIT seconds (as they do when they all stop at the same
 * error); otherwise it prints what its standard error held and ends the whole
 * job with its exit status (MPI_Abort), so that a rank that failed alone never
 * leaves the others waiting.
 */
void cluster_finish(void);

#define CLUSTER_EXIT_WAIT 10

/* x[0..count) summed, its minimum or its maximum over the ranks, in place on
 * every rank. */
void cluster_sum(double *x, size_t count);
void cluster_min(double *x, size_t count);
void cluster_max(double *x, size_t count);

/* n summed over the ranks. */
size_t cluster_sum_size(size_t n);

/* The bytes of buf, as rank root has them, on every rank. */
void cluster_broadcast(void *buf, size_t bytes, int root);

/*
 * Each rank's bytes bytes of mine, one after the other in rank order, into all
 * (size · bytes) on every rank (cluster_allgather), or on rank 0 alone
 * (cluster_gather; all is not used elsewhere).
 */
void cluster_allgather(const void *mine, size_t bytes, void *all);
void cluster_gather(const void *mine, size_t bytes, void *all);

/*
 * Whether every rank succeeded: each gives its status (0, or -1 with e filled).
 * Returns 0 on every rank if all gave 0; else -1 on every rank, with e filled
 * by the error of the lowest rank that failed, so that they can all stop with
 * one message and one exit status.
 */
int cluster_check(int status, struct error *e);

/*
 * The bytes this rank has given to the sums, minima and maxima so far: the size
 * of what is reduced, as a measure of the communication a fit needs.
 */
unsigned long long cluster_reduced_bytes(void);

/* The MPI library the program was built with ("Open MPI v4.1.4, ..."), or NULL.
 */
const char *cluster_library(void);

#endif
