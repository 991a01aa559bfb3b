import Blits from '@lightningjs/blits'
import { COLORS } from '../layout.ts'

/** The page tabs (Live · Guide · On demand · Settings); `focusIndex` ≥ 0 highlights the focused tab. */
export default Blits.Component('NavBar', {
  template: `
    <Element x="96" y="54">
      <Text content="空中课堂" size="40" color="#f5b301" y="4" />
      <Element
        :for="tab in $tabs"
        key="$tab.key"
        :x="$tab.x"
        y="0"
        :w="$tab.w"
        h="56"
        :color="$tab.color"
        :inspector-data="$tab.inspector"
      >
        <Text :content="$tab.label" size="30" :color="$tab.textColor" x="20" y="10" />
      </Element>
    </Element>
  `,
  props: ['labels', 'current', 'focusIndex'],
  computed: {
    tabs() {
      return (this.labels || []).map((label, i) => {
        const focused = i === this.focusIndex
        const current = i === this.current
        return {
          key: 'tab' + i,
          label,
          x: 240 + i * 230,
          w: 210,
          color: focused ? COLORS.focus : current ? COLORS.cellAiring : COLORS.panel,
          textColor: focused ? COLORS.textOnFocus : COLORS.text,
          inspector: { testid: 'nav-tab', index: i, focused: String(focused), current: String(current) },
        }
      })
    },
  },
})
