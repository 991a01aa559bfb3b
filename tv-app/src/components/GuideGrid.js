import Blits from '@lightningjs/blits'

/**
 * The EPG grid, drawn from what the Guide page computed: only the visible rows and the programmes overlapping
 * the time window exist as nodes (the page windows them), so 12 or 100 channels cost the same.
 *
 * The programme area is a clipped viewport over a time strip (guide/time-grid.ts): moving through time moves
 * the strip, while every cell keeps its position, size, colours and title texture for as long as it is shown.
 * Each frame is drawn in three batches: the cell backgrounds (one texture), the focus ring, then the titles,
 * which a focus move never re-rasterises (their colour does not follow the focus; the ring, drawn over the
 * cell and under its title, does).
 */
export default Blits.Component('GuideGrid', {
  template: `
    <Element :inspector-data="{testid: 'guide-grid'}">
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
        <Text :content="$row.name" size="26" color="#ffffff" x="78" y="42" mount="{y: 0.5}" maxwidth="210" maxlines="2" lineheight="30" />
      </Element>
      <Element :x="$areaX" y="0" :w="$areaW" :h="$gridHeight + 48" clipping="true">
        <Element :x="$stripX">
          <Element :for="marker in $markers" key="$marker.key" :x="$marker.x" y="0">
            <Element w="2" h="40" color="#4a6a8a" />
            <Text :content="$marker.label" size="26" color="#a9bdd3" x="10" y="4" :inspector-data="{testid: 'guide-marker'}" />
          </Element>
          <Element
            :for="cell in $cells"
            key="$cell.key"
            :x="$cell.x"
            :y="$cell.y"
            :w="$cell.w"
            h="84"
            :color="$cell.color"
          />
          <Element
            :show="$focus.shown"
            :x="$focus.x - 4"
            :y="$focus.y - 4"
            :w="$focus.w + 8"
            h="92"
            color="#f5b301"
            :inspector-data="{testid: 'guide-focus-ring', shown: $focus.shown}"
          >
            <Element x="4" y="4" :w="$focus.w" h="84" color="#2f7fc1" />
          </Element>
          <Element
            :for="cell in $cells"
            key="$cell.key"
            :x="$cell.textX + 12"
            :y="$cell.y + 26"
            :inspector-data="{testid: 'guide-cell', channel: $cell.channel, programme: $cell.programme, focused: $cell.key === $focusCell ? 'true' : 'false', state: $cell.state, count: $cell.count}"
          >
            <Text :show="$cell.title !== ''" :content="$cell.title" size="26" :color="$cell.textColor" :maxwidth="$cell.textWidth" maxlines="1" />
          </Element>
          <Element :show="$nowX !== null" :x="$nowX" y="40" w="3" :h="$gridHeight" color="#ff4d4d" :inspector-data="{testid: 'guide-now-line', shown: $nowX !== null}" />
        </Element>
      </Element>
    </Element>
  `,
  // The focus is a key and a ring, not a field of every item: moving it inside the window moves the ring and
  // leaves the (unchanged) lists alone.
  props: [
    'markers',
    'rows',
    'cells',
    'areaX',
    'areaW',
    'stripX',
    'nowX',
    'gridHeight',
    'focusRow',
    'focusCell',
    'focus',
  ],
})
