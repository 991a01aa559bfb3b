import Blits from '@lightningjs/blits'

/**
 * The EPG grid, drawn from what the Guide page computed: only the visible rows and the visible part of
 * each row exist as nodes (the page windows them), so 12 or 100 channels cost the same.
 */
export default Blits.Component('GuideGrid', {
  template: `
    <Element :inspector-data="{testid: 'guide-grid'}">
      <Element
        :for="marker in $markers"
        key="$marker.key"
        :x="$marker.x"
        y="0"
      >
        <Element w="2" h="40" color="#4a6a8a" />
        <Text :content="$marker.label" size="26" color="#a9bdd3" x="10" y="4" :inspector-data="{testid: 'guide-marker'}" />
      </Element>
      <Element
        :for="row in $rows"
        key="$row.key"
        x="0"
        :y="$row.y"
        w="300"
        h="84"
        :color="$row.key === $focusRow ? '#23507a' : '#13283f'"
        :inspector-data="{testid: 'guide-row', channel: $row.key, focused: $row.key === $focusRow ? 'true' : 'false'}"
      >
        <Text :content="$row.number" size="34" color="#f5b301" x="16" y="22" />
        <Text :content="$row.name" size="28" color="#ffffff" x="86" y="26" maxwidth="200" maxlines="1" />
      </Element>
      <Element
        :for="cell in $cells"
        key="$cell.key"
        :x="$cell.x"
        :y="$cell.y"
        :w="$cell.w"
        h="84"
        :color="$cell.key === $focusCell ? '#f5b301' : $cell.color"
        :inspector-data="{testid: 'guide-cell', channel: $cell.channel, programme: $cell.programme, focused: $cell.key === $focusCell ? 'true' : 'false', state: $cell.state}"
      >
        <Text :content="$cell.title" size="26" :color="$cell.key === $focusCell ? '#1a1a1a' : $cell.textColor" x="12" y="12" :maxwidth="$cell.textWidth" maxlines="1" />
        <Text :content="$cell.time" size="22" :color="$cell.key === $focusCell ? '#1a1a1a' : $cell.textColor" x="12" y="50" :maxwidth="$cell.textWidth" maxlines="1" />
      </Element>
      <Element :show="$nowX >= 0" :x="$nowX" y="40" w="3" :h="$gridHeight" color="#ff4d4d" :inspector-data="{testid: 'guide-now-line', shown: $nowX >= 0}" />
    </Element>
  `,
  // The focus is two keys, not a field of every item: moving it inside the window changes two cells'
  // colours and leaves the (unchanged) lists alone.
  props: ['markers', 'rows', 'cells', 'nowX', 'gridHeight', 'focusRow', 'focusCell'],
})
