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

# SQS kata：從這個 repository（建置內容）安裝，依賴的版本都釘選在 pyproject.toml。kata 放在
# /home/jovyan/sqs-kata（JupyterLab 左邊檔案列表看得到）；docker-compose.yml 把主機的 ./exercises 掛到
# 它的 exercises/，所以在 JupyterLab 改的練習檔就是被評分的檔案（也留在主機上）。
# The SQS kata, installed from this repository (the build context) with the versions pinned in pyproject.toml.
# It lives in /home/jovyan/sqs-kata (visible in JupyterLab's file browser); docker-compose.yml mounts the host's
# ./exercises over its exercises/, so the file edited in JupyterLab is the one graded (and stays on the host).
# Editable (-e): the kata grades the files of its own folder (sqs_kata.PROJECT_ROOT). The base image's own
# JupyterLab and IPython stay as they are (the [notebook] extra is for running the kata outside this image).
COPY --chown=${NB_UID}:${NB_GID} . /home/${NB_USER}/sqs-kata
RUN pip install --no-cache-dir --editable "/home/${NB_USER}/sqs-kata" && \
    fix-permissions "${CONDA_DIR}" && \
    fix-permissions "/home/${NB_USER}"
# 在容器裡，kata 預設對課程的 SQS（cc104.sqs.local）評分；compose 也設定同一個值。
# Inside the container the kata grades against the class SQS (cc104.sqs.local) by default; compose sets the same.
ENV SQS_ENDPOINT_URL=http://cc104.sqs.local:9324
