# syntax=docker/dockerfile:1
#
# cc104 課程的 Jupyter 映像檔 / Jupyter image for the cc104 class stack.
# 由 docker-compose.yml 的 jupyter-tutorial 服務建置。
# Built by the jupyter-tutorial service in docker-compose.yml:
#     docker compose build jupyter-tutorial
#
# 基底映像檔 / Base image:
#   課程原本用 Docker Hub 的 jupyter/base-notebook；Jupyter Docker Stacks 自 2023-10
#   起只發佈到 quay.io，Docker Hub 上的映像檔已停止更新。這裡釘選 quay.io 上的日期
#   標籤（每個日期標籤都是不可變的一次建置），要升級時改成較新的日期即可。
#   The course used Docker Hub's jupyter/base-notebook; since October 2023 the
#   Jupyter Docker Stacks are published only on quay.io and the Docker Hub
#   images are no longer updated. A date tag is one immutable build; bump the
#   date to upgrade (see https://quay.io/repository/jupyter/base-notebook?tab=tags).
ARG BASE_IMAGE=quay.io/jupyter/base-notebook:2026-07-28
FROM ${BASE_IMAGE}

# 以 notebook 使用者（jovyan）安裝套件，這是 Docker Stacks 文件建議的做法；
# fix-permissions 讓之後在容器裡 pip install 也不會遇到權限問題。
# Install as the notebook user (jovyan), as the Docker Stacks docs recommend;
# fix-permissions keeps conda and the home directory writable afterwards.
COPY --chown=${NB_UID}:${NB_GID} docker/requirements-jupyter.txt /tmp/requirements-jupyter.txt
RUN pip install --no-cache-dir --requirement /tmp/requirements-jupyter.txt && \
    rm /tmp/requirements-jupyter.txt && \
    fix-permissions "${CONDA_DIR}" && \
    fix-permissions "/home/${NB_USER}"
