# Source this (`. infra/tools/use-node22.sh`) to run the project on Node.js 22, the runtime the
# Lambda functions have in AWS. If the machine's node is older, Node's official build is taken
# from the npm registry (package node-linux-<arch>, a plain binary), kept in .tools/, and put
# first on PATH for this shell. Nothing else is downloaded.
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 22 ]; then
  node_arch=$(node -p 'process.arch')
  node_dir="$PWD/.tools/node22/node_modules/node-linux-${node_arch}/bin"
  if [ ! -x "$node_dir/node" ]; then
    echo "Node $(node --version) found; installing Node 22 from the npm registry into .tools/node22"
    npm install --no-save --no-audit --no-fund --prefix .tools/node22 "node-linux-${node_arch}@22" >/dev/null
  fi
  export PATH="$node_dir:$PATH"
fi
unset node_major node_arch node_dir
