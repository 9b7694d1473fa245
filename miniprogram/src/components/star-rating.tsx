import { Text, View } from '@tarojs/components';
import { Tap } from './tap';

const SCORE_WORDS = ['', '很不满意', '不满意', '一般', '满意', '非常满意'] as const;

/** "4 星 · 满意": the score in words, for the stars are only a picture of it. */
export function scoreText(score: number): string {
  return `${score} 星 · ${SCORE_WORDS[score] ?? ''}`;
}

/**
 * Five stars, each a large target that says what it means ("4 星 满意"): a radio group, so a
 * screen reader reads which is chosen and the arrow keys are not needed to reach them.
 */
export function StarRating(props: { value: number; onChange: (score: number) => void; label: string }) {
  return (
    <View className="stars" role="radiogroup" ariaLabel={props.label}>
      <View className="stars__row">
        {[1, 2, 3, 4, 5].map((score) => (
          <Tap
            key={score}
            role="radio"
            checked={props.value === score}
            label={`${score} 星 ${SCORE_WORDS[score]}`}
            className={`stars__star${score <= props.value ? ' stars__star--on' : ''}`}
            onTap={() => props.onChange(score)}
          >
            ★<Text className="sr-only">{score} 星</Text>
          </Tap>
        ))}
      </View>
      <Text className="stars__text">{scoreText(props.value)}</Text>
    </View>
  );
}
