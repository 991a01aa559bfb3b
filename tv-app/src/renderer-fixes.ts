/**
 * Renderer 2.23 counts the default shader as "a shader of its own", so every node with a size is drawn,
 * transparent containers included (lightning-js/renderer#477, #480): the stage root, the app's root, the
 * router view and each page holder are a transparent full-screen quad every frame. On a set-top box GPU (and
 * in software GL) those quads were most of a frame's cost. After this, a node is drawn only when it has a
 * colour, a texture or a shader of its own — what the renderer meant.
 */
interface RendererNode {
  props: { shader: unknown };
  stage: { defShaderCtr: unknown };
  children: RendererNode[];
  updateIsRenderable(): void;
}

export function drawOnlyVisibleNodes(root: RendererNode): void {
  const nodeClass = Object.getPrototypeOf(root) as { hasShader(this: RendererNode): boolean };
  nodeClass.hasShader = function hasShader(this: RendererNode) {
    return this.props.shader !== null && this.props.shader !== this.stage.defShaderCtr;
  };
  // Nodes created before the fix decided already; let them decide again.
  const visit = (node: RendererNode): void => {
    node.updateIsRenderable();
    for (const child of node.children) visit(child);
  };
  visit(root);
}
