import Blits from '@lightningjs/blits'

/** A small rotating square with a label: something is loading. */
export default Blits.Component('Spinner', {
  template: `
    <Element :show="$visible" :inspector-data="{testid: 'spinner', shown: $visible}">
      <Element w="48" h="48" color="#f5b301" mount="0.5" x="24" y="24" :rotation="$angle" />
      <Text :content="$label" size="30" x="72" y="8" color="#a9bdd3" />
    </Element>
  `,
  props: ['visible', 'label'],
  state() {
    return { angle: 0 }
  },
  hooks: {
    ready() {
      // Only while shown: a hidden spinner must not keep the renderer drawing frames.
      this.$setInterval(() => {
        if (this.visible) this.angle = (this.angle + 30) % 360
      }, 120)
    },
  },
})
