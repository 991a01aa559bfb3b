import Blits from '@lightningjs/blits'

/** One tile of a rail: a label and a second line, highlighted when focused, outlined when selected. */
export default Blits.Component('Tile', {
  template: `
    <Element :w="$w" h="96" :color="$color" :inspector-data="$inspector">
      <Element :show="$selected && !$focused" y="90" :w="$w" h="6" color="#f5b301" />
      <Text :content="$label" size="28" :color="$textColor" x="16" y="14" :maxwidth="$w - 32" maxlines="1" />
      <Text :content="$sub" size="22" :color="$textColor" x="16" y="56" :maxwidth="$w - 32" maxlines="1" />
    </Element>
  `,
  props: ['label', 'sub', 'w', 'focused', 'selected', 'inspector'],
  computed: {
    color() {
      return this.focused ? '#f5b301' : '#1d3a5a'
    },
    textColor() {
      return this.focused ? '#1a1a1a' : '#ffffff'
    },
  },
})
