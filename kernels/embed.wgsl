// embed.wgsl — X[t, :] = SCALE * dequant(W[tokens[t], :]) for the active tokens of this step.
// Prepended with bytes.wgsl and one quant_<type>.wgsl (dequant8). A table larger than the
// storage binding limit is split in row shards: this dispatch owns rows [ROW_START, ROW_START + ROW_COUNT)
// and leaves tokens outside that range to the other shards' dispatches.
//
// Bindings (group 0):
//   0 step    uniform Step {pos, n_tokens, kv_len, _}
//   1 tokens  storage read  array<u32>: [max_tokens] token ids
//   2 W       storage read  array<u32>: the embedding shard [ROW_COUNT, HIDDEN], raw GGUF bytes
//   3 X       storage rw    array<f32>: [max_tokens, HIDDEN]
// Dispatch: (ceil(HIDDEN / 8 / 64), max_tokens, 1); each thread writes 8 consecutive values.

struct Step { pos: u32, n_tokens: u32, kv_len: u32, pad: u32 }

override HIDDEN: u32;
override ROW_START: u32 = 0u;
override ROW_COUNT: u32;
override SCALE: f32 = 1.0;

@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<storage, read> tokens: array<u32>;
@group(0) @binding(2) var<storage, read> W: array<u32>;
@group(0) @binding(3) var<storage, read_write> X: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
    let t = gid.y;
    let g = gid.x;
    if (t >= step.n_tokens || g >= HIDDEN / 8u) {
        return;
    }
    let tok = tokens[t];
    if (tok < ROW_START || tok >= ROW_START + ROW_COUNT) {
        return;
    }
    let row_byte = (tok - ROW_START) * (HIDDEN / QK) * BLOCK_BYTES;
    let v = dequant8(row_byte, g);
    for (var i = 0u; i < 8u; i++) {
        X[t * HIDDEN + g * 8u + i] = SCALE * v[i];
    }
}
