#!/bin/sh
# Runs a command in NVIDIA's TensorFlow container with every GPU (CDI) and the current directory
# mounted at /workspace, with NGC's recommended flags (shared IPC, unlimited locked memory, 64 MiB
# stack). The image is set in /etc/default/vault-tensorflow (role tensorflow).
#   vault-tensorflow python /workspace/scripts/test-tensorflow.py --json-out tf.json
set -eu
if [ -r /etc/default/vault-tensorflow ]; then
    # shellcheck source=/dev/null
    . /etc/default/vault-tensorflow
fi
image=${VAULT_TENSORFLOW_IMAGE:?"set VAULT_TENSORFLOW_IMAGE (normally in /etc/default/vault-tensorflow)"}
if [ $# -eq 0 ]; then
    echo "usage: vault-tensorflow COMMAND [ARG]...  (runs COMMAND in $image)" >&2
    exit 2
fi
exec docker run --rm --device nvidia.com/gpu=all --ipc=host --ulimit memlock=-1 --ulimit stack=67108864 \
    -e CUDA_DEVICE_ORDER=PCI_BUS_ID -v "$PWD:/workspace" -w /workspace "$image" "$@"
